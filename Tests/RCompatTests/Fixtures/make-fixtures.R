# Regenerates the reference values the RCompatTests compare against.
# Run from this directory with R 4.2.2 (Debian's r-base-core):  Rscript make-fixtures.R
# R is needed only to regenerate; the tests read the committed text files.
# Every double is written with sprintf("%.17g") so that the tests can compare bit for bit.
stopifnot(RNGkind()[1] == "Mersenne-Twister", RNGkind()[2] == "Inversion")
g17 <- function(v) sprintf("%.17g", v)
writeLines(R.version.string, "R-version.txt")

# runif / rnorm: 2000 draws cross the 624-word Mersenne-Twister regeneration three times.
seeds <- c(123L, 0L, 42L, 1L, 2147483647L, -7L, -2147483647L)
for (s in seeds) {
  set.seed(s); writeLines(g17(runif(2000)), sprintf("runif_seed%d.txt", s))
  set.seed(s); writeLines(g17(rnorm(2000)), sprintf("rnorm_seed%d.txt", s))
}
# Mixed calls on one stream, with min/max and mean/sd arguments.
set.seed(2024)
a <- runif(5, -3, 5); b <- rnorm(5, mean = 10, sd = 0.5); c <- runif(3); d <- rnorm(3, -1, 3)
writeLines(g17(c(a, b, c, d)), "mixed_seed2024.txt")

# qnorm at central, intermediate and far-tail points (AS 241's three branches).
p <- c(1e-300, 1e-100, 1e-20, 1e-12, 1.3888e-11, 1e-10, 1e-5, 0.001, 0.01, 0.05, 0.0749,
       0.075, 0.0751, 0.1, 0.25, 0.3, 0.5, 0.6, 0.9, 0.925, 0.9251, 0.975, 0.99, 0.999999,
       1 - 1e-10, 1 - 1e-15, 0.123456789, 1/3)
writeLines(paste(g17(p), g17(qnorm(p))), "qnorm.txt")

# Student t and F tail probabilities (what summary.lm reports).
tt <- data.frame(t = c(0, 0.5, 1, 1.96, 2.5, 4, 10, 29.7, -3.2, 0.01),
                 df = c(1, 2, 5, 30, 98, 3, 98, 98, 7.5, 1000))
writeLines(paste(g17(tt$t), g17(tt$df), g17(2 * pt(-abs(tt$t), tt$df))), "pt_two_sided.txt")
ff <- data.frame(f = c(0.5, 1, 3, 10, 332, 2.2), d1 = c(1, 2, 3, 1, 1, 4), d2 = c(10, 20, 5, 98, 98, 30))
writeLines(paste(g17(ff$f), g17(ff$d1), g17(ff$d2), g17(pf(ff$f, ff$d1, ff$d2, lower.tail = FALSE))),
           "pf_upper.txt")

# The lecture's regression: y ~ x on set.seed(123) data.
set.seed(123); n <- 100; x <- rnorm(n); y <- 3 + 2 * x + rnorm(n)
writeLines(paste(g17(x), g17(y)), "lecture_xy.txt")
fit <- lm(y ~ x); s <- summary(fit)
cf <- s$coefficients
kv <- c(
  intercept = cf[1, 1], slope = cf[2, 1], intercept_se = cf[1, 2], slope_se = cf[2, 2],
  intercept_t = cf[1, 3], slope_t = cf[2, 3], intercept_p = cf[1, 4], slope_p = cf[2, 4],
  sigma = s$sigma, df = s$df[2], r_squared = s$r.squared, adj_r_squared = s$adj.r.squared,
  f = s$fstatistic[[1]], f_df1 = s$fstatistic[[2]], f_df2 = s$fstatistic[[3]],
  f_p = pf(s$fstatistic[[1]], s$fstatistic[[2]], s$fstatistic[[3]], lower.tail = FALSE),
  q_min = quantile(s$residuals)[[1]], q_1q = quantile(s$residuals)[[2]],
  q_median = quantile(s$residuals)[[3]], q_3q = quantile(s$residuals)[[4]],
  q_max = quantile(s$residuals)[[5]])
writeLines(paste(names(kv), g17(kv)), "lecture_lm.txt")
writeLines(g17(s$residuals), "lecture_lm_residuals.txt")
writeLines(capture.output(print(s)), "lecture_lm_summary.txt")

# Multiple regression on a built-in data set: mtcars, mpg ~ wt + hp.
writeLines(paste(g17(mtcars$wt), g17(mtcars$hp), g17(mtcars$mpg)), "mtcars_wt_hp_mpg.txt")
s2 <- summary(lm(mpg ~ wt + hp, data = mtcars))
cf2 <- s2$coefficients
writeLines(paste(g17(cf2[, 1]), g17(cf2[, 2]), g17(cf2[, 3]), g17(cf2[, 4])), "mtcars_lm_coefficients.txt")
kv2 <- c(sigma = s2$sigma, df = s2$df[2], r_squared = s2$r.squared, adj_r_squared = s2$adj.r.squared,
         f = s2$fstatistic[[1]], f_df1 = s2$fstatistic[[2]], f_df2 = s2$fstatistic[[3]])
writeLines(paste(names(kv2), g17(kv2)), "mtcars_lm.txt")
writeLines(capture.output(print(s2)), "mtcars_lm_summary.txt")

# quantile(type = 7) examples: "probs | values | quantiles".
qcases <- list(c(1, 2, 3, 4, 5), c(3.5, -1, 2, 10), c(7), c(5, 1, 4, 2, 3, 9, 8.25), x)
probs <- c(0, 0.1, 0.25, 1/3, 0.5, 0.75, 0.9, 1)
writeLines(vapply(qcases, function(v)
  paste(paste(g17(v), collapse = " "), "|", paste(g17(quantile(v, probs, names = FALSE)), collapse = " ")),
  ""), "quantile7.txt")

# as.character / paste of doubles (15 significant digits).
cv <- c(0, 1, -1, 0.1, 1/3, 2/3, 100000, 123456, 1e15, 1e-5, 0.0001, 123456.7, 1e5 + 0.1, pi * 1e10,
        -2.5e-8, 1e300, 1.5, 2.89719694937354, 0.30000000000000004, 1e-300, 99999.99999999999,
        123456789012345678, 0.1 + 0.2, exp(1), 1234.5678)
writeLines(paste(g17(cv), as.character(cv), sep = "\t"), "as_character.txt")

# print() of numeric vectors: blocks of "@@ digits width", the values, then R's output lines.
pcases <- list(
  list(c(0.04742587, 0.05752359, 0.95730271, 0.96489475) + 1e-9, 7, 80),
  list(c(1, 2, 3), 7, 80), list(c(1.5, NA, -2.25), 7, 80), list(pi, 7, 80), list(pi, 3, 80),
  list(c(1e-10, 1, 1000), 7, 80), list(c(123456789, 0.1), 7, 80), list(c(1e10, 2e10), 7, 80),
  list(c(-1.9073, -0.6835, -0.0875, 0.5806, 3.2904), 4, 80), list(c(0, 0), 7, 80),
  list(c(100000, 1), 7, 80), list(c(1e5), 7, 80), list(c(0.1, 0.123456789), 7, 80),
  list(x[1:30], 7, 80), list(seq(0.5, 60, by = 0.5), 7, 80), list(x[1:12], 7, 40),
  list(c(Inf, -Inf, NaN, 1), 7, 80), list(c(1e-300, 1e300), 7, 80), list(c(9.9999999, 1), 7, 80),
  list(c(2.675, 0.001234), 3, 80))
out <- character()
for (pc in pcases) {
  v <- pc[[1]]; dg <- pc[[2]]; wd <- pc[[3]]
  old <- options(digits = dg, width = wd)
  lines <- capture.output(print(v))
  options(old)
  out <- c(out, sprintf("@@ %d %d", dg, wd), paste(ifelse(is.na(v) & !is.nan(v), "NA", g17(v)), collapse = " "), lines)
}
writeLines(out, "print_vectors.txt")
