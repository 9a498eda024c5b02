# Written for uprank's tests.
resource "aws_db_instance" "default" {
  identifier        = "reports"
  allocated_storage = 10
  engine            = var.engine
  engine_version    = var.engine_version[var.engine]
  instance_class    = var.instance_class
  username          = "reports"
  password          = var.password
}

resource "aws_db_instance" "replica" {
  engine         = "mysql"
  engine_version = var.engine_version["mysql"]
}

resource "aws_db_instance" "computed" {
  engine         = "postgres"
  engine_version = data.aws_rds_engine_version.latest.version
}
# Written for uprank's tests: engine versions chosen through variable defaults.
variable "engine" {
  description = "Database engine"
  default     = "postgres"
}

variable "engine_version" {
  description = "Engine version per engine"
  default = {
    mysql    = "5.7.21"
    postgres = "9.6.8"
  }
}

variable "instance_class" {
  default = "db.t2.micro"
}
