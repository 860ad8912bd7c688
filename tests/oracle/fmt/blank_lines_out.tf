

locals {


  a = 1

}
variable "x" {}



locals {
  b = 1
}

