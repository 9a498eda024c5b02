resource "docker_image" "web" {
  name = "nginx:1.25.3"
}
resource "kubernetes_deployment" "app" {
  spec {
    template {
      spec {
        container {
          image = "redis:7.2"
        }
      }
    }
  }
}
resource "helm_release" "redis" {
  repository = "https://charts.bitnami.com/bitnami"
  chart      = "redis"
  version    = "18.6.1"
  set {
    name  = "image.tag"
    value = "7.2.4"
  }
  set {
    name  = "image.repository"
    value = "bitnami/redis"
  }
}
