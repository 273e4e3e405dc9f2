// A minimal clang -cc1 driver: parses the -cc1 command line given as the program
// arguments into a CompilerInvocation and executes it, as clang's own cc1 entry point
// does (without the driver, plugins, timers or crash recovery).
//
//   cc1main -cc1 -triple x86_64-pc-linux-gnu -emit-obj -O2 -o out.o in.c
//
// The leading "-cc1" is optional. Diagnostics are printed to stderr; the exit status is
// 0 on success and 1 on failure.
#include <memory>
#include <vector>

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/CodeGen/ObjectFilePCHContainerOperations.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/TextDiagnosticBuffer.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/FrontendTool/Utils.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/ManagedStatic.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  std::vector<const char *> args(argv + 1, argv + argc);
  if (!args.empty() && llvm::StringRef(args[0]) == "-cc1")
    args.erase(args.begin());

  // Every target, as clang registers them (so -triple may name any of them).
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  llvm::InitializeAllAsmParsers();

  auto clang = std::make_unique<clang::CompilerInstance>();
  auto pch = clang->getPCHContainerOperations();
  pch->registerWriter(std::make_unique<clang::ObjectFilePCHContainerWriter>());
  pch->registerReader(std::make_unique<clang::ObjectFilePCHContainerReader>());

  // Diagnostics from parsing the command line are buffered until the compiler
  // instance has its own diagnostics engine (configured by those very options).
  llvm::IntrusiveRefCntPtr<clang::DiagnosticIDs> ids(new clang::DiagnosticIDs());
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> opts(new clang::DiagnosticOptions());
  auto *buffer = new clang::TextDiagnosticBuffer;
  clang::DiagnosticsEngine diags(ids, &*opts, buffer);
  bool ok = clang::CompilerInvocation::CreateFromArgs(clang->getInvocation(), args, diags, argv[0]);

  clang->createDiagnostics();
  if (!clang->hasDiagnostics())
    return 1;
  buffer->FlushDiagnostics(clang->getDiagnostics());
  if (ok)
    ok = clang::ExecuteCompilerInvocation(clang.get());

  clang.reset();
  llvm::llvm_shutdown();
  return ok ? 0 : 1;
}
