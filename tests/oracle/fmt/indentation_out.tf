locals {
  x = [{
    a = 1
    }, {
    b = 2
  }]
  y = foo(
    bar(1,
    2),
  3)
  tabbed = true
  deep = {
    a = {
      b = [
        1,
      ]
    }
  }
  type = map(object({
    name = string
  }))
}
