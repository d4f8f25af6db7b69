//! `ErrorCode` against Kafka itself: runs a few lines of Java over the
//! `Errors` enum of the pinned Kafka's `kafka-clients` jar (the one
//! `scripts/kafka/kafka.sh fetch` downloads) and compares every code, name,
//! description, retriable flag and stale-metadata flag.

use std::path::PathBuf;
use std::process::Command;

use krafka_core::ErrorCode;

const DUMP: &str = r#"
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.errors.InvalidMetadataException;
import org.apache.kafka.common.errors.RetriableException;
public class DumpErrors {
  public static void main(String[] args) {
    for (Errors e : Errors.values()) {
      Throwable ex = e.exception();
      System.out.println(e.code() + "\t" + e.name() + "\t" + (ex instanceof RetriableException)
          + "\t" + (ex instanceof InvalidMetadataException) + "\t" + e.message());
    }
  }
}
"#;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

#[test]
fn error_codes_match_kafkas_errors_enum() {
    let root = repo_root();
    let version = std::fs::read_to_string(root.join("KAFKA_VERSION")).expect("KAFKA_VERSION");
    let home = std::env::var("KRAFKA_KAFKA_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join(".cache/kafka"));
    let libs = home.join(version.trim()).join("libs");
    assert!(
        libs.join(format!("kafka-clients-{}.jar", version.trim()))
            .exists(),
        "kafka-clients jar missing in {}: run `scripts/kafka/kafka.sh fetch`",
        libs.display()
    );
    let dir = std::env::temp_dir().join(format!("krafka-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("DumpErrors.java");
    std::fs::write(&source, DUMP).unwrap();
    let java = std::env::var("JAVA").unwrap_or_else(|_| "java".to_owned());
    let output = Command::new(&java)
        .arg("-cp")
        .arg(format!("{}/*", libs.display()))
        .arg(&source)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{java}` (Java 17+ is needed): {e}"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        output.status.success(),
        "java failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut count = 0;
    for line in stdout.lines() {
        let fields: Vec<&str> = line.splitn(5, '\t').collect();
        let [code, name, retriable, stale, description] = fields[..] else {
            panic!("unexpected line {line:?}");
        };
        let code: i16 = code.parse().unwrap();
        let ours =
            ErrorCode::from_code(code).unwrap_or_else(|| panic!("code {code} ({name}) missing"));
        assert_eq!(ours.name(), name, "code {code}");
        assert_eq!(ours.is_retriable(), retriable == "true", "{name} retriable");
        assert_eq!(
            ours.invalidates_metadata(),
            stale == "true",
            "{name} invalidates metadata"
        );
        assert_eq!(ours.description(), description, "{name} description");
        count += 1;
    }
    assert_eq!(count, ErrorCode::ALL.len(), "Kafka defines {count} codes");
}
