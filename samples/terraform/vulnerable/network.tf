resource "aws_security_group" "orders" {
  name        = "${var.name}-function"
  description = "Orders function"
  vpc_id      = var.vpc_id

  egress {
    description = "Anything, anywhere"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
