locals {
  function_name = "${var.name}-api"
}

resource "aws_kms_key" "orders" {
  description         = "Orders function environment and logs"
  enable_key_rotation = true
}

resource "aws_lambda_code_signing_config" "orders" {
  allowed_publishers {
    signing_profile_version_arns = [
      "arn:aws:signer:eu-west-1:123456789012:/signing-profiles/orders/abcdef",
    ]
  }

  policies {
    untrusted_artifact_on_deployment = "Enforce"
  }
}

resource "aws_lambda_function" "orders" {
  function_name                  = local.function_name
  role                           = aws_iam_role.orders.arn
  runtime                        = "python3.12"
  handler                        = "app.handler"
  filename                       = "build/orders.zip"
  memory_size                    = 256
  timeout                        = 10
  reserved_concurrent_executions = 50
  kms_key_arn                    = aws_kms_key.orders.arn
  code_signing_config_arn        = aws_lambda_code_signing_config.orders.arn

  environment {
    variables = {
      TABLE_NAME            = aws_dynamodb_table.orders.name
      STRIPE_KEY_SECRET_ARN = var.stripe_api_key_secret_arn
    }
  }

  tracing_config {
    mode = "Active"
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.orders.id]
  }
}

resource "aws_cloudwatch_log_group" "orders" {
  name              = "/aws/lambda/${aws_lambda_function.orders.function_name}"
  retention_in_days = 30
  kms_key_id        = aws_kms_key.orders.arn
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
