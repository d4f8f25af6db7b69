#![no_main]
//! `krafka_tests::fuzz::Target::RecordBatch` under libFuzzer.

use krafka_tests::fuzz::Target;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    Target::RecordBatch.run(data);
});
