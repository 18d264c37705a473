import SboxCore
import SboxRuntime

/// `sbox profiles`: every profile `--profile NAME` can find, where it is, and what it is for.
func listProfiles(host: HostContext) -> Int32 {
    let loader = ProfileLoader(store: ProfileFiles(), variables: ProfileVariables(host: host))
    for source in loader.available() {
        let name = source.name.padding(to: 12)
        let kind = source.kind.rawValue.padding(to: 10)
        Diagnostics.write(line: name + kind + (source.description ?? "(no description)"), to: 1)
    }
    return 0
}

extension String {
    func padding(to width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}
