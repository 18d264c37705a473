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

let package = Package(
    name: "sbox",
    products: [
        .executable(name: "sbox", targets: ["sbox"]),
    ],
    targets: [
        .target(name: "CSbox"),
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "CCap", pkgConfig: "libcap", providers: [.apt(["libcap-dev"])]),
        .target(name: "SboxCore"),
        .target(name: "SboxRuntime", dependencies: ["SboxCore", "CSbox", "CCap", "CSeccomp"]),
        .executableTarget(name: "sbox", dependencies: ["SboxCore", "SboxRuntime"]),
        .testTarget(name: "SboxCoreTests", dependencies: ["SboxCore"]),
        .testTarget(name: "SboxRuntimeTests", dependencies: ["SboxRuntime", "SboxCore"]),
    ]
)
