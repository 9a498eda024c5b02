terraform {
  required_version = "~> 1.5.0"
}

resource "aws_db_instance" "orders" {
  engine         = "postgres"
  engine_version = "15"
}
