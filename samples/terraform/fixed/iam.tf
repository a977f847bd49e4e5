data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "orders" {
  name               = "${var.name}-role"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "orders" {
  statement {
    sid       = "Uploads"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["arn:aws:s3:::orders-uploads/*"]
  }

  statement {
    sid       = "Orders"
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem"]
    resources = [aws_dynamodb_table.orders.arn]
  }

  statement {
    sid       = "StripeKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.stripe_api_key_secret_arn]
  }
}

resource "aws_iam_role_policy" "orders" {
  name   = "orders-data"
  role   = aws_iam_role.orders.id
  policy = data.aws_iam_policy_document.orders.json
}

resource "aws_iam_role_policy_attachment" "vpc_access" {
  role       = aws_iam_role.orders.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}
