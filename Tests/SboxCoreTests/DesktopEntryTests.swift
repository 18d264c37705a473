import SboxCore
import Testing

struct DesktopEntryTests {
    static let viewer = """
        [Desktop Entry]
        Type=Application
        Name=Viewer
        Exec=viewer --new %U
        DBusActivatable=true
        Actions=private;

        [Desktop Action private]
        Name=Private window
        Exec=viewer --private %f

        """

    @Test func everyExecStartsInSboxWithItsFieldCodes() throws {
        let copy = try DesktopEntry.sandboxed(Self.viewer, profile: "browser")
        #expect(copy == """
            [Desktop Entry]
            Type=Application
            Name=Viewer
            Exec=sbox --profile browser -- viewer --new %U
            DBusActivatable=false
            Actions=private;
            X-Sbox-Profile=browser

            [Desktop Action private]
            Name=Private window
            Exec=sbox --profile browser -- viewer --private %f

            """)
        #expect(DesktopEntry.profile(of: copy) == "browser")
        // Installing again with another profile replaces the prefix and the marker, not adds to them.
        #expect(try DesktopEntry.sandboxed(copy, profile: "gui") == DesktopEntry.sandboxed(Self.viewer, profile: "gui"))
    }

    @Test func anEntryWithoutExecIsRefusedAndTheDefaultProfileIsTheApplications() {
        #expect(throws: UsageError("the desktop entry has no Exec= line to run in sbox")) {
            try DesktopEntry.sandboxed("[Desktop Entry]\nType=Link\nURL=https://example.org\n", profile: "gui")
        }
        #expect(DesktopEntry.defaultProfile(forFile: "firefox-esr.desktop", available: ["browser", "firefox-esr"]) == "firefox-esr")
        #expect(DesktopEntry.defaultProfile(forFile: "org.gnome.Calculator.desktop", available: ["calculator"]) == "calculator")
        #expect(DesktopEntry.defaultProfile(forFile: "vim.desktop", available: ["browser"]) == "gui")
    }
}
