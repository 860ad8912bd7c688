# The configuration functions.examples are evaluated in: a template for `templatestring`.
locals {
  greeting = "Hello, $${name}!"
}
