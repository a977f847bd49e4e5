locals {
  function_name = "${var.name}-api"
}

resource "aws_lambda_function" "orders" {
  function_name = local.function_name
  role          = aws_iam_role.orders.arn
  runtime       = "python3.8"
  handler       = "app.handler"
  filename      = "build/orders.zip"
  memory_size   = 256
  timeout       = 10

  environment {
    variables = {
      TABLE_NAME     = aws_dynamodb_table.orders.name
      STRIPE_API_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
    }
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.orders.id]
  }
}

resource "aws_cloudwatch_log_group" "orders" {
  name = "/aws/lambda/${aws_lambda_function.orders.function_name}"
}

resource "aws_dynamodb_table" "orders" {
  name         = "${var.name}-table"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
