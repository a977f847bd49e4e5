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
