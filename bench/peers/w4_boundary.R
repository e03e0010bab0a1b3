# W4 peer in base R: the trained W3 network (weights written by `handout-bench w3 --save`) on a
# 500 x 500 grid, drawn as filled decision regions with the 0.5 contour and the data, to a PNG.
args <- commandArgs(trailingOnly = TRUE)
weights <- args[1]; out <- args[2]
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "spirals.R"))
lines <- readLines(weights)
layers <- list()
for (k in seq(1, length(lines) - 2, by = 3)) {
  h <- strsplit(lines[k], " ")[[1]]
  W <- matrix(as.numeric(strsplit(lines[k + 1], " ")[[1]]), as.integer(h[1]), as.integer(h[2]), byrow = TRUE)
  b <- as.numeric(strsplit(lines[k + 2], " ")[[1]])
  layers[[length(layers) + 1]] <- list(W = W, b = b, act = h[3])
}
g <- 500
xs <- seq(-6, 6, length.out = g); ys <- seq(-6, 6, length.out = g)
A <- as.matrix(expand.grid(x = xs, y = ys))
for (L in layers) {
  Z <- A %*% L$W + rep(L$b, each = nrow(A))
  A <- if (L$act == "tanh") tanh(Z) else 1 / (1 + exp(-Z))
}
P <- matrix(A[, 1], g, g)
d <- spirals(1000)
png(out, width = 500, height = 500)
image(xs, ys, P, col = hcl.colors(20, "RdBu"), xlab = "x1", ylab = "x2", main = "Decision boundary")
contour(xs, ys, P, levels = 0.5, add = TRUE, drawlabels = FALSE, lwd = 2)
points(d$X, col = ifelse(d$y == 1, "darkred", "navy"), pch = 20, cex = 0.5)
invisible(dev.off())
cat(sprintf("wrote %s, %d x %d grid\n", out, g, g))
