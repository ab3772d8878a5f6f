// Transcript (golden-output) tests for the Raft core, in the style of etcd-io/raft's datadriven
// `testdata/*.txt` files.
//
// Every `testdata/*.txt` next to this file is a script of commands, each followed by `----` and
// the output `TranscriptRunner` (Sources/SluiceTesting/TranscriptRunner.swift, which lists the
// commands) must print for it, then a blank line. Lines starting with `#` are comments.
//
// The test replays each file and compares the result with the file. On a mismatch it prints the
// file name and a diff (`-` expected, `+` actual).
//
// To (re)generate the golden output after an intended change, run
//
//     SLUICE_UPDATE_TRANSCRIPTS=1 swift test --filter TranscriptTests
//
// which rewrites the output blocks in place; then READ the diff (git diff Tests/SluiceRaftTests/
// testdata) and check by hand that it shows correct Raft behaviour before committing it. A new
// transcript can be written with empty output blocks (`command`, `----`, blank line) and filled in
// the same way.
//
// testdata is found through #filePath (this file's directory), so it is read from the source tree
// and needs no resources in Package.swift.
import Foundation
import SluiceTesting
import XCTest

final class TranscriptTests: XCTestCase {
    private static var testdataDirectory: String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast()
        return parts.joined(separator: "/") + "/testdata"
    }

    func testTranscripts() throws {
        let dir = Self.testdataDirectory
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") }.sorted()
        XCTAssertFalse(files.isEmpty, "no transcripts in \(dir)")
        let update = ProcessInfo.processInfo.environment["SLUICE_UPDATE_TRANSCRIPTS"] == "1"
        for f in files {
            let path = dir + "/" + f
            let expected = try String(contentsOfFile: path, encoding: .utf8)
            let actual: String
            do {
                actual = try TranscriptFile.run(expected)
            } catch {
                XCTFail("\(f): \(error.message)")
                continue
            }
            if actual == expected { continue }
            if update {
                try actual.write(toFile: path, atomically: true, encoding: .utf8)
                print("updated \(f)")
            } else {
                XCTFail("\(f): output differs from the golden transcript (rerun with SLUICE_UPDATE_TRANSCRIPTS=1 to accept):\n"
                        + Self.diff(expected, actual))
            }
        }
    }

    /// A line diff (longest common subsequence) showing only changed lines with 2 lines of context.
    static func diff(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let y = b.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let n = x.count, m = y.count
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        // (tag, line number in the expected file, text)
        var ops: [(Character, Int, String)] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && x[i] == y[j] {
                ops.append((" ", i + 1, x[i])); i += 1; j += 1
            } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
                ops.append(("+", i + 1, y[j])); j += 1
            } else {
                ops.append(("-", i + 1, x[i])); i += 1
            }
        }
        let context = 2
        var show = [Bool](repeating: false, count: ops.count)
        for (k, op) in ops.enumerated() where op.0 != " " {
            for c in max(0, k - context)...min(ops.count - 1, k + context) { show[c] = true }
        }
        var out: [String] = []
        var last = -2
        for k in ops.indices where show[k] {
            if k != last + 1 { out.append("@@ line \(ops[k].1) @@") }
            out.append("\(ops[k].0) \(ops[k].2)")
            last = k
        }
        return out.joined(separator: "\n")
    }
}
