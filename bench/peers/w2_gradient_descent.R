# W2 peer: the lecture's gradient descent for y = alpha + beta x (lecture 000, "Coding gradient
# descent from scratch in R"), on the set.seed(123) data, 1000 steps, as on the slide.
set.seed(123)
n <- 100 # sample size
x <- rnorm(n) # simulated explanatory variable
y <- 3 + 2 * x + rnorm(n) # simulated response variable

alpha <- vector(); beta <- vector()
E <- vector(); dEdalpha <- vector(); dEdbeta <- vector()
eta <- 0.01; alpha[1] <- 1; beta[1] <- 1 # initialize alpha and beta
for(i in 1:1000)
{
  E[i] <- (1/n) * sum((y - alpha[i] - beta[i] * x)^2)
  dEdalpha[i] <- -sum(2 * (y - alpha[i] - beta[i] * x)) / n
  dEdbeta[i] <- -sum(2 * x * (y - alpha[i] - beta[i] * x)) / n

  alpha[i+1] <- alpha[i] - eta * dEdalpha[i]
  beta[i+1] <- beta[i] - eta * dEdbeta[i]
}
print(paste0("alpha = ", tail(alpha, 1), ", beta = ", tail(beta, 1)))
