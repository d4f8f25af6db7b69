#![no_main]
//! `krafka_tests::fuzz::Target::Message` under libFuzzer.

use krafka_tests::fuzz::Target;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    Target::Message.run(data);
});
