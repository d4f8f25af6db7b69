#![no_main]
//! `krafka_tests::fuzz::Target::FetchResponse` under libFuzzer.

use krafka_tests::fuzz::Target;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    Target::FetchResponse.run(data);
});
