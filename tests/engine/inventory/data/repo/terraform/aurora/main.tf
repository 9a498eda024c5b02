# Written for uprank's tests: a registry module with a literal engine pin.
locals {
  name = "orders-${var.environment}"
}

variable "environment" {
  type    = string
  default = "test"
}

module "orders_db" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "7.7.1"

  name           = local.name
  engine         = "aurora-postgresql"
  engine_version = "15.10"
  instance_class = "db.t4g.medium"
  instances = {
    one = {}
  }

  tags = merge(var.tags, { Service = "orders" })
}

module "catalog_db" {
  source         = "terraform-aws-modules/rds-aurora/aws"
  version        = "7.7.1"
  engine         = "aurora-mysql"
  engine_version = "8.0"
}

module "local_helper" {
  source = "./modules/helper"
}
