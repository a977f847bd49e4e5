variable "name" {
  description = "Prefix of every resource of the orders service."
  type        = string
  default     = "orders"
}

variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d4e5f67890"
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

variable "stripe_api_key_secret_arn" {
  description = "Secrets Manager ARN of the Stripe API key (read at run time)."
  type        = string
  default     = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/stripe"
}

variable "jwt_issuer" {
  type    = string
  default = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"
}
