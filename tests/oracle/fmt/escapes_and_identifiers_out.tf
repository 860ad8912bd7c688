locals {
  short = 1
  policy = <<EOT
${jsonencode(
var.x)}
EOT
dollars = "$$${ x } $$ %%%{ y } ${z}"
café    = 1
été     = 2
名前      = 3
}
