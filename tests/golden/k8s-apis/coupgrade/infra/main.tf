resource "aws_eks_cluster" "legacy" {
  name    = "legacy"
  version = "1.24"
}
