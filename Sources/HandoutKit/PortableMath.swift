// Notebook code's `exp`, `log`, `tanh`, … are Neural's portable ones, not glibc's.
//
// glibc picks its transcendental functions at load time by CPU feature, so a notebook's own
// `1 / (1 + exp(-s))` would print different last digits on a CPU without FMA. Neural declares
// `exp(_: Double)` and its siblings (PortableMath.swift there); imported by name, as here, a function
// shadows the same-signature functions that whole-module imports bring (Glibc's, through Foundation),
// so in a program that imports HandoutKit, `exp(x)` on a `Double` is `portableExp(x)` and
// `Foundation.exp(x)` still reaches glibc's. (Imported only as a module, the two would be ambiguous.)

@_exported import func Neural.cos
@_exported import func Neural.exp
@_exported import func Neural.expm1
@_exported import func Neural.log
@_exported import func Neural.log1p
@_exported import func Neural.sin
@_exported import func Neural.tanh
