resource "aws_security_group" "orders" {
  name        = "${var.name}-function"
  description = "Orders function"
  vpc_id      = var.vpc_id

  egress {
    description     = "HTTPS to AWS APIs through the VPC endpoints"
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = ["pl-6da54004"]
  }
}
