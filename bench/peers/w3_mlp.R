# W3 peer in base R: 2-16-16-1, tanh hidden, sigmoid output, binary cross-entropy (fused with the
# sigmoid: dL/dZ = (yhat - y)/n), full-batch Adam with the lecture's formula
# W <- W - gamma / sqrt(Vhat + eps) * Mhat (eps inside the root, as Neural.Adam), 2000 epochs.
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(sub("--file=", "", args[grep("--file=", args)]))
source(file.path(here, "spirals.R"))
d <- spirals(1000); X <- d$X; Y <- d$y; n <- nrow(X)
epochs <- 2000
set.seed(42)
glorot <- function(i, o) { a <- sqrt(6 / (i + o)); matrix(runif(i * o, -a, a), i, o) }
sizes <- c(2, 16, 16, 1)
W <- list(); b <- list()
for (l in 1:3) { W[[l]] <- glorot(sizes[l], sizes[l + 1]); b[[l]] <- matrix(0, 1, sizes[l + 1]) }
params <- c(W, b)
M <- lapply(params, function(p) p * 0); V <- M
gamma <- 0.01; beta1 <- 0.9; beta2 <- 0.999; eps <- 1e-8
sigmoid <- function(z) 1 / (1 + exp(-z))
addrow <- function(Z, b) Z + rep(b, each = nrow(Z))
for (t in 1:epochs) {
  W <- params[1:3]; b <- params[4:6]
  A0 <- X
  Z1 <- addrow(A0 %*% W[[1]], b[[1]]); A1 <- tanh(Z1)
  Z2 <- addrow(A1 %*% W[[2]], b[[2]]); A2 <- tanh(Z2)
  Z3 <- addrow(A2 %*% W[[3]], b[[3]]); A3 <- sigmoid(Z3)
  loss <- mean(pmax(Z3, 0) - Z3 * Y + log1p(exp(-abs(Z3))))
  dZ3 <- (A3 - Y) / n
  dW3 <- crossprod(A2, dZ3); db3 <- colSums(dZ3)
  dZ2 <- tcrossprod(dZ3, W[[3]]) * (1 - A2 * A2)
  dW2 <- crossprod(A1, dZ2); db2 <- colSums(dZ2)
  dZ1 <- tcrossprod(dZ2, W[[2]]) * (1 - A1 * A1)
  dW1 <- crossprod(A0, dZ1); db1 <- colSums(dZ1)
  grads <- list(dW1, dW2, dW3, db1, db2, db3)
  c1 <- 1 - beta1^t; c2 <- 1 - beta2^t
  for (k in seq_along(params)) {
    M[[k]] <- beta1 * M[[k]] + (1 - beta1) * grads[[k]]
    V[[k]] <- beta2 * V[[k]] + (1 - beta2) * grads[[k]]^2
    params[[k]] <- params[[k]] - gamma / sqrt(V[[k]] / c2 + eps) * (M[[k]] / c1)
  }
}
W <- params[1:3]; b <- params[4:6]
out <- sigmoid(addrow(tanh(addrow(tanh(addrow(X %*% W[[1]], b[[1]])) %*% W[[2]], b[[2]])) %*% W[[3]], b[[3]]))
cat(sprintf("accuracy %.4f loss %.6f epochs %d\n", mean((out >= 0.5) == (Y >= 0.5)), loss, epochs))
