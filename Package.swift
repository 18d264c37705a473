// swift-tools-version:6.0
// sbox: a rootless sandbox for untrusted programs on Linux.
//
// Layers (data flows one way): arguments and profile text → Options → Plan → Runtime → exit status.
//   SboxCore     pure Swift, no syscalls: option table, parser, plan compiler.
//   SboxRuntime  executes a Plan on Linux, one file per kernel mechanism, syscalls behind `SystemCalls`.
//   sbox         the command line.
//   CSbox        the few calls Swift cannot make (raw syscalls, prctl, wait macros).
//   CSeccomp, CCap  system libraries, found with pkg-config.
import PackageDescription

// Release builds lay the code out for a fast start (measured by bench/seccomp and bench/startup):
//  - the functions a start runs are packed together (lld's --symbol-ordering-file with
//    scripts/startup.order, made by scripts/startup-order; each function in a section of its own),
//    so that each of sbox's processes maps far fewer pages of the static binary, and so unmaps fewer
//    at exec and exit;
//  - generic types' metadata is reached through accessor functions, not by demangling the type's
//    mangled name at its first use (about 15,000 instructions per type, at every start).
let root = String(#filePath.dropLast("Package.swift".count))
let release = BuildSettingCondition.when(configuration: .release)
let swiftLayout: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-function-sections", "-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"], release),
]

let package = Package(
    name: "sbox",
    products: [
        .executable(name: "sbox", targets: ["sbox"]),
    ],
    targets: [
        .target(name: "CSbox", cSettings: [.unsafeFlags(["-ffunction-sections"], release)]),
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "CCap", pkgConfig: "libcap", providers: [.apt(["libcap-dev"])]),
        .target(name: "SboxCore", swiftSettings: swiftLayout),
        .target(name: "SboxRuntime", dependencies: ["SboxCore", "CSbox", "CCap", "CSeccomp"], swiftSettings: swiftLayout),
        .executableTarget(
            name: "sbox", dependencies: ["SboxCore", "SboxRuntime"], swiftSettings: swiftLayout,
            linkerSettings: [
                .unsafeFlags(["-use-ld=lld", "-Xlinker", "--symbol-ordering-file=\(root)scripts/startup.order",
                              "-Xlinker", "--no-warn-symbol-ordering"], release),
            ]),
        .testTarget(name: "SboxCoreTests", dependencies: ["SboxCore"]),
        .testTarget(name: "SboxRuntimeTests", dependencies: ["SboxRuntime", "SboxCore"]),
    ]
)
