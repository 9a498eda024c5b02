# Written for uprank's tests.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.31"

  cluster_name    = "retail"
  cluster_version = "1.33"
  /* a block comment with a "string" and { braces } */
  eks_managed_node_groups = {
    default = {
      instance_types = ["m5.large"]
    }
  }
}

resource "aws_eks_cluster" "legacy" {
  name     = "legacy"
  version  = "1.27" // pinned long ago
  role_arn = aws_iam_role.cluster.arn
  vpc_config {
    subnet_ids = var.subnets
  }
}
