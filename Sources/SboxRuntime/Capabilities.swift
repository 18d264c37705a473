import SboxCore

/// no_new_privs, then every capability dropped but those the plan keeps.
enum Capabilities {
    static func drop(keeping kept: CapabilitySet, uid: UInt32, system: SystemCalls) throws(SystemError) {
        try system.setNoNewPrivileges()
        // A program running as uid 0 in the namespace gets its bounding set back at exec; any other
        // uid keeps capabilities across exec only through the ambient set.
        try system.dropCapabilities(keeping: kept, ambient: uid != 0 && !kept.isEmpty)
    }
}
