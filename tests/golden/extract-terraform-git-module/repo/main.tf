module "vpc" {
  source = "git::https://github.com/org/tf-vpc.git//modules/vpc?ref=v1.2.3"
}
module "dns" {
  source = "github.com/org/tf-dns?ref=v0.4.0"
}
