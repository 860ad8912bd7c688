locals {
  call            = upper("x")
  provider_fn     = provider::aws::arn_parse(var.arn)
  dots            = var.a.b
  commas          = f(a, b...)
  template        = "hello ${name} and %{if c}yes%{endif} ${~x~}${a}${b}"
  for_list        = [for x in [y] : x]
  for_map         = { for k, v in var.m : k => v... }
  index           = var.m["k"]
  call_index      = f()[0]
  not             = !true
  minus           = [a - 1, -1, -2, a * -1, (-1), 1 - -1, a == -1, a && -1, b ? -1 : -2]
  arrow           = { for k, v in m : k => - v }
  braces          = { a = 1 }
  empty           = {}
  nested_template = { a = 1 }
  brackets        = [1, 2]
  parens          = (a + 2)
  empty_lists     = [[]]
  object_colon    = { a : 1 }
  ops             = a + b * c / d % e == f != g < h > i <= j >= k && l || m
  splat           = var.list[*].id
  attr_splat      = var.list.*.id
  legacy_index    = var.list.0.id
  conditional     = var.a ? var.b : var.c
  number          = 1.5e+3
  unary_not       = !var.enabled
  escapes         = "a\"b $${literal} %%{literal} \\"
}
block { a = 1 }
empty_block {}
