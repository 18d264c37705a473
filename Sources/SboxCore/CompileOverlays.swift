/// bwrap's overlays: --overlay-src layers, bottom to top, then the overlay they make, with writes
/// going to the host (--overlay), to an invisible tmpfs (--tmp-overlay) or nowhere (--ro-overlay).
extension Compilation {
    mutating func applyOverlay(_ option: ParsedOption) throws(UsageError) {
        let a = option.arguments
        switch option.name {
        case .overlaySrc:
            overlayLayers.append(try source(a[0], of: option))
        case .overlay, .tmpOverlay, .roOverlay:
            let needed = option.name == .roOverlay ? 2 : 1
            guard overlayLayers.count >= needed else {
                throw UsageError("\(option.name.spec.flag) requires at least \(needed == 1 ? "one" : "two") "
                    + "--overlay-src")
            }
            let writes: MountStep.OverlayWrites = switch option.name {
            case .overlay: .host(upper: try source(a[0], of: option), work: try source(a[1], of: option))
            case .tmpOverlay: .temporary
            default: .refused
            }
            mount(.overlay(layers: overlayLayers, path: try destination(a[a.count - 1], of: option), writes: writes),
                  for: option)
            overlayLayers = []
        default:
            throw misrouted(option)
        }
    }

    /// Layers given wait for another layer or their overlay, and for nothing else.
    func checkOverlayContinues(with option: ParsedOption) throws(UsageError) {
        switch option.name {
        case .overlaySrc, .overlay, .tmpOverlay, .roOverlay: return
        default: try checkOverlaysEnded()
        }
    }

    func checkOverlaysEnded() throws(UsageError) {
        if !overlayLayers.isEmpty {
            throw UsageError("--overlay-src must be followed by another --overlay-src or one of --overlay, "
                + "--tmp-overlay, or --ro-overlay")
        }
    }
}
