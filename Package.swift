// swift-tools-version:6.1
// Handout: Markdown notebooks about neural networks in, checked HTML handouts out.
// Module arrows (one way): Neural <- RCompat <- HandoutKit -> Plot -> CCairo; HandoutKit -> Neural;
// HandoutKit -> HandoutProtocol <- Literate;
// Literate -> CCmark, CSpawn, CDigest; handout -> Literate, CSpawn.
// `Literate` never links Cairo or Neural: it orchestrates a child program that does.
import PackageDescription

// swift-syntax in release takes 18 minutes to build on a 2-core machine. The toolchain ships the same
// library prebuilt, as library-evolution modules with stable interfaces (`usr/lib/swift/host`, where
// the compiler's macro support loads it from). `make render` and `make bench` point
// HANDOUT_TOOLCHAIN_SYNTAX at that folder when it holds every module `Literate` imports; unset (as in
// `make test`), the package from `dependencies` is built as usual.
let toolchainSyntax = Context.environment["HANDOUT_TOOLCHAIN_SYNTAX"].flatMap { $0.isEmpty ? nil : $0 }
let syntaxModules = ["SwiftParser", "SwiftSyntax", "SwiftIDEUtils"]
// Every module that imports `Literate` sees its imports, so needs the folder too.
let syntaxSearchPath: [SwiftSetting] = toolchainSyntax.map { [.unsafeFlags(["-I", $0])] } ?? []

let package = Package(
  name: "Handout",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "handout", targets: ["handout"]),
    // The runtime a notebook program links against: `import Neural`, `import HandoutKit` (which
    // imports HandoutProtocol and re-exports RCompat, so those modules are in the library too).
    .library(
      name: "HandoutRuntime", type: .dynamic,
      targets: ["HandoutKit", "HandoutProtocol", "Neural", "Plot", "RCompat", "CReads"]),
    .library(name: "Neural", targets: ["Neural"]),
    .library(name: "RCompat", targets: ["RCompat"]),
    .library(name: "Plot", targets: ["Plot"]),
  ],
  // `handout preview`'s HTTP server (Hummingbird on SwiftNIO: 45 of the 58 targets a fresh release
  // build compiles, and most of its CPU time). On by default; `make render`, `make check` and
  // `make same-bits` build `handout` with `--disable-default-traits`, which leaves the server and its
  // packages out (`handout preview` then says how to build it).
  traits: [
    .trait(name: "Preview", description: "handout preview: serve the handouts on 127.0.0.1 (Hummingbird)"),
    .default(enabledTraits: ["Preview"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
    // `handout preview`'s local HTTP server (SwiftNIO underneath; only the `handout` executable links it).
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    // Hummingbird's own dependencies, named for the two types preview uses: `Logger`, `Channel`.
    .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.0.0"),
    // `make docs`: `swift package generate-documentation` (a command plugin; `swift build` and
    // `swift test` never build it, so it costs them only its resolution).
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ]
    + (toolchainSyntax == nil
      ? [.package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.0")] : []),
  targets: [
    .systemLibrary(
      name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
      providers: [.apt(["libcairo2-dev", "libpng-dev"])]),
    .systemLibrary(
      name: "CCmark", path: "Sources/CCmark", pkgConfig: "libcmark-gfm",
      providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
    // The matrix product's SSE2/AVX2/AVX-512 kernels, chosen at run time; no FMA contraction, so every
    // path gives the same bits (see CNeuralKernels.h).
    .target(name: "CNeuralKernels", cSettings: [.unsafeFlags(["-ffp-contract=off"])]),
    .target(name: "Neural", dependencies: ["CNeuralKernels"]),
    // What the R lectures print, bit for bit: R's random numbers, `lm` and its `summary`, R's
    // number formatting. Kept apart so `Neural` reads like the lecture.
    .target(name: "RCompat", dependencies: ["Neural"]),
    // Starting a child that cannot outlive `handout` or escape its run: fork, a parent-death
    // signal and a subreaper keeper (see CSpawn.h); also hides `handout`'s environment from /proc.
    .target(name: "CSpawn"),
    // The files a notebook program opens for reading (`open`, `fopen`… of the runtime library, which
    // the program finds before libc's), so its run is keyed on files it never declared (see CReads.h).
    .target(name: "CReads"),
    // SHA-256's rounds on the CPU's SHA extensions where it has them (see CDigest.h).
    .target(name: "CDigest"),
    // The events a notebook program sends `handout`: one definition, Foundation only.
    .target(name: "HandoutProtocol"),
    .target(name: "Plot", dependencies: ["CCairo"]),
    .target(
      name: "HandoutKit",
      dependencies: [
        "CReads", "HandoutProtocol", "Neural", "Plot", "RCompat",
        .product(name: "SwiftCSV", package: "SwiftCSV"),
      ]),
    .target(
      name: "Literate",
      dependencies: [
        "CCmark",
        "CDigest",
        "CSpawn",
        "HandoutProtocol",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Mustache", package: "swift-mustache"),
      ]
        + (toolchainSyntax == nil ? syntaxModules.map { .product(name: $0, package: "swift-syntax") } : []),
      swiftSettings: syntaxSearchPath,
      linkerSettings: toolchainSyntax.map { dir in
        let libraries = syntaxModules.map { "-l\($0)" }
        return [.unsafeFlags(["-L", dir] + libraries + ["-Xlinker", "-rpath", "-Xlinker", dir])]
      } ?? []),
    // `make bench`'s Swift side of the workloads (bench/README.md); not part of `make test`.
    // Linked with the Swift runtime inside (-static-stdlib): W1 and W2 are whole-process timings of
    // a few milliseconds of work, and resolving 39 shared libraries at start-up cost more than that.
    .executableTarget(
      name: "handout-bench", dependencies: ["Neural", "HandoutKit"],
      linkerSettings: [
        .unsafeFlags([
          "-static-stdlib", "-Xlinker", "--start-group", "-Xlinker", "-lFoundation", "-Xlinker",
          "-lFoundationInternationalization", "-Xlinker", "-l_FoundationICU", "-Xlinker",
          "-lFoundationEssentials", "-Xlinker", "-lCoreFoundation", "-Xlinker", "-l_FoundationCShims",
          "-Xlinker", "-l_FoundationCollections", "-Xlinker", "-lswiftSynchronization", "-Xlinker",
          "-lswiftDispatch", "-Xlinker", "-ldispatch", "-Xlinker", "-lBlocksRuntime", "-Xlinker",
          "-lswift_StringProcessing", "-Xlinker", "-lswift_RegexParser", "-Xlinker", "-lswift_Concurrency",
          "-Xlinker", "-lswiftCore", "-Xlinker", "--end-group",
        ])
      ]),
    .executableTarget(
      name: "handout",
      dependencies: [
        "Literate", "CSpawn", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Preview"])),
        .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Preview"])),
        .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["Preview"])),
      ],
      swiftSettings: syntaxSearchPath),
    .testTarget(name: "NeuralTests", dependencies: ["Neural"]),
    .testTarget(name: "RCompatTests", dependencies: ["Neural", "RCompat"], resources: [.copy("Fixtures")]),
    .testTarget(name: "PlotTests", dependencies: ["Plot"]),
    .testTarget(name: "HandoutKitTests", dependencies: ["HandoutKit"]),
    .testTarget(name: "HandoutProtocolTests", dependencies: ["HandoutProtocol"]),
    // The built `handout` binary, run as a process (it must be built first, as `swift test` does):
    // exit codes, stdout versus stderr, help text against Expected/*.txt.
    .testTarget(name: "HandoutCLITests", exclude: ["Expected"]),
    // LiterateTests reads sources with swift-syntax too (DocCommentTests).
    .testTarget(
      name: "LiterateTests",
      // Mustache: TemplateContextTests confirm how swift-mustache reads the typed contexts.
      dependencies: ["Literate", .product(name: "Mustache", package: "swift-mustache")]
        + (toolchainSyntax == nil ? syntaxModules.map { .product(name: $0, package: "swift-syntax") } : []),
      resources: [.copy("Corpus")],
      swiftSettings: syntaxSearchPath),
  ]
)
