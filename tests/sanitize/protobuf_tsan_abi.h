// Force-included into every C++ file of the ThreadSanitizer build (scripts/sanitize.sh thread).
//
// protobuf 3.21's <google/protobuf/map_field.h> adds two members (seq1_, seq2_) to
// MapFieldBase when __SANITIZE_THREAD__ is defined, so code compiled with -fsanitize=thread
// sees an 80-byte MapFieldBase while Debian's libprotobuf.so.32, built without it, uses 72
// bytes. Destroying any message with a map field (NodeDef's attr) then runs the library's
// MapFieldBase::Destruct on the wrong offsets and frees a pointer that was never allocated:
// TSan stops with "CHECK failed: sanitizer_allocator_secondary.h:297" (training_controller_test,
// mainwindow_test; docs/toolchain.md §10). Reading the header once with the macro hidden gives
// our code the library's layout; its include guard keeps that layout for every later include.
// Only the map field's layout is affected: libstdc++ and Qt still see __SANITIZE_THREAD__.
#pragma once
#pragma push_macro("__SANITIZE_THREAD__")
#undef __SANITIZE_THREAD__
#include <google/protobuf/map_field.h>
#pragma pop_macro("__SANITIZE_THREAD__")
