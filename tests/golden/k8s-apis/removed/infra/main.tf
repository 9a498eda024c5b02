resource "aws_eks_cluster" "shop" {
  name    = "shop"
  version = "1.29"
}
