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
