locals {
  id        = "a1"        # short
  route_key = "GET /pets" # long
  list = [
    "a",  # first
    "bb", # second
  ]
  // a whole-line comment
  # indented too far
  x                       = 1 /* trailing block */
  y                       = 2 // slashes
  /* multi
     line */ z = 3
  block {} # x
  f = g(
    1
  ) # y
}
# at the end
