locals {
  a  =  1
}