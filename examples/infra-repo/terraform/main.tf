# The shared platform: a managed PostgreSQL database and the EKS cluster the charts run on.
terraform {
  required_version = "~> 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "engine_version" {
  description = "PostgreSQL engine version of the billing database"
  default     = "13.4"
}

resource "aws_db_instance" "billing" {
  identifier        = "billing"
  engine            = "postgres"
  engine_version    = var.engine_version
  instance_class    = "db.t3.medium"
  allocated_storage = 50
}

module "eks" {
  source          = "terraform-aws-modules/eks/aws"
  version         = "19.21.0"
  cluster_name    = "storefront"
  cluster_version = "1.29"
}
