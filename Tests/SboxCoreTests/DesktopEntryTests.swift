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
        let copy = try DesktopEntry.sandboxed(Self.viewer, profile: "browser", sbox: "/opt/my tools/sbox")
        #expect(copy == """
            [Desktop Entry]
            Type=Application
            Name=Viewer
            Exec="/opt/my tools/sbox" --profile browser --expose-args ro -- viewer --new %U
            DBusActivatable=false
            Actions=private;
            X-Sbox-Profile=browser

            [Desktop Action private]
            Name=Private window
            Exec="/opt/my tools/sbox" --profile browser --expose-args ro -- viewer --private %f

            """)
        #expect(DesktopEntry.profile(of: copy) == "browser")
        // Installing again with another profile replaces the prefix and the marker, not adds to them.
        #expect(try DesktopEntry.sandboxed(copy, profile: "gui") == DesktopEntry.sandboxed(Self.viewer, profile: "gui"))
        #expect(
            try DesktopEntry.sandboxed(
                DesktopEntry.sandboxed(Self.viewer, profile: "gui"), profile: "browser", sbox: "/opt/my tools/sbox")
                == copy)
    }

    @Test func anEntryWithoutExecIsRefusedAndTheDefaultProfileIsTheApplications() {
        #expect(throws: UsageError("the desktop entry has no Exec= line to run in sbox")) {
            try DesktopEntry.sandboxed("[Desktop Entry]\nType=Link\nURL=https://example.org\n", profile: "gui")
        }
        #expect(
            DesktopEntry.defaultProfile(forFile: "firefox-esr.desktop", available: ["browser", "firefox-esr"])
                == "firefox-esr")
        #expect(
            DesktopEntry.defaultProfile(forFile: "org.gnome.Calculator.desktop", available: ["calculator"])
                == "calculator")
        #expect(DesktopEntry.defaultProfile(forFile: "vim.desktop", available: ["browser"]) == "gui")
    }
}

extension DesktopEntryTests {
    @Test func keysAreReadAsTheSpecificationReadsThemAndATwiceGivenKeyIsRefused() throws {
        let spaced = "[Desktop Entry]\nType=Application\nExec = viewer %f\nDBusActivatable = true\n"
        #expect(
            try DesktopEntry.sandboxed(spaced, profile: "gui")
                == "[Desktop Entry]\nType=Application\nExec=sbox --profile gui --expose-args ro -- viewer "
                       + "%f\nDBusActivatable=false\nX-Sbox-Profile=gui\n"
        )
        #expect(
            throws: UsageError(
                "the desktop entry has the key Exec twice in [Desktop Entry]: refused, as a launcher might run either")
        ) {
            try DesktopEntry.sandboxed("[Desktop Entry]\nExec=safe\nExec =evil\n", profile: "gui")
        }
        // Localized keys are other keys; comments are none.
        #expect(
            try DesktopEntry.sandboxed("[Desktop Entry]\n# Exec=x\nName=a\nName[fr]=b\nExec=v\n", profile: "gui")
                .contains("Name[fr]=b"))
        #expect(DesktopEntry.profile(of: "[Desktop Entry]\nX-Sbox-Profile = browser\n") == "browser")
    }
}
