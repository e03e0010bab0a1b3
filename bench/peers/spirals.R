# The W3 data, as Dataset.spirals(n: 1000, noise: 0) makes it: per class m = 500 points,
# r = 5i/m, t = 1.75 * 2 pi i/m + delta (delta = 0 or pi), point (r sin t, r cos t).
spirals <- function(n = 1000) {
  m <- n %/% 2
  X <- NULL; y <- NULL
  for (k in 0:1) {
    count <- if (k == 0) m else n - m
    i <- 0:(count - 1)
    r <- 5 * i / count
    t <- 1.75 * 2 * pi * i / count + k * pi
    X <- rbind(X, cbind(r * sin(t), r * cos(t)))
    y <- c(y, rep(k, count))
  }
  list(X = X, y = matrix(y, ncol = 1))
}
