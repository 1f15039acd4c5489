// tilmatch._core: the nanobind module under the Python package (python/tilmatch/). A thin layer:
// it reads tables, scores and runs subcommands with the functions the CLI calls (src/cli/
// search_support, scoring/backend, the subcommand table), so its numbers are the CLI's. Every
// heavy call runs without the GIL; every tilmatch exception becomes a Python exception.

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/byte_size.hpp"
#include "cli/command.hpp"
#include "cli/help.hpp"
#include "cli/search_support.hpp"
#include "scoring/backend.hpp"
#include "scoring/engine.hpp"
#include "scoring/search_runs.hpp"
#include "scoring/tcrmatch.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"
#include "tilmatch/version.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace tilmatch::python {
namespace {

/// Rows per run of a dense matrix at most: 64 x 10,000 hits (7.7 MB) sort within the caches.
constexpr std::size_t kDenseRun = 64;

/// The Python exception types of the package (created once, owned by the module).
struct ErrorTypes {
  PyObject* error = nullptr;   ///< tilmatch.Error(Exception)
  PyObject* input = nullptr;   ///< tilmatch.InputError(Error, ValueError), with .file and .where
  PyObject* usage = nullptr;   ///< tilmatch.UsageError(Error, ValueError)
  PyObject* io = nullptr;      ///< tilmatch.IoError(Error, OSError)
  PyObject* device = nullptr;  ///< tilmatch.DeviceError(Error, RuntimeError)
};

void raise_input_error(PyObject* type, const InputError& e) {
  PyObject* exc = PyObject_CallFunction(type, "s", e.what());
  if (exc == nullptr) return;  // the failed call's own Python error stands
  PyObject* file = PyUnicode_FromString(e.file().c_str());
  PyObject* where = PyUnicode_FromString(e.where().c_str());
  if (file && where) {
    PyObject_SetAttrString(exc, "file", file);
    PyObject_SetAttrString(exc, "where", where);
  }
  Py_XDECREF(file);
  Py_XDECREF(where);
  PyErr_SetObject(type, exc);
  Py_DECREF(exc);
}

// Tried before nanobind's own translators; what it does not catch (std::bad_alloc: MemoryError,
// any other std::exception: RuntimeError) goes on to them, so no C++ exception reaches the interpreter.
void translate(const std::exception_ptr& p, void* payload) {
  const auto& t = *static_cast<const ErrorTypes*>(payload);
  try {
    std::rethrow_exception(p);
  } catch (const InputError& e) {
    raise_input_error(t.input, e);
  } catch (const UsageError& e) {
    PyErr_SetString(t.usage, e.what());
  } catch (const scoring::HitBudgetExceeded& e) {
    PyErr_SetString(t.usage, e.what());  // a limit the caller set (memory), not a fault
  } catch (const IoError& e) {
    PyErr_SetString(t.io, e.what());
  } catch (const BackendUnavailable& e) {
    PyErr_SetString(t.device, e.what());
  } catch (const CudaError& e) {
    PyErr_SetString(t.device, e.what());
  } catch (const Error& e) {
    PyErr_SetString(t.error, e.what());
  }
}

PyObject* new_error_type(nb::module_& m, const char* name, const char* doc, std::initializer_list<PyObject*> bases) {
  PyObject* tuple = PyTuple_New(static_cast<Py_ssize_t>(bases.size()));
  if (tuple == nullptr) throw nb::python_error();
  Py_ssize_t i = 0;
  for (PyObject* b : bases) {
    Py_INCREF(b);
    PyTuple_SET_ITEM(tuple, i++, b);
  }
  const std::string qualified = std::string("tilmatch.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, tuple, nullptr);
  Py_DECREF(tuple);
  if (type == nullptr) throw nb::python_error();
  m.attr(name) = nb::handle(type);  // the module holds a reference; `type` keeps the creation's
  return type;
}

/// A vector handed to numpy without a copy: the array owns it.
template <class T>
nb::ndarray<nb::numpy, T, nb::ndim<1>> to_numpy(std::vector<T>&& values) {
  auto* held = new std::vector<T>(std::move(values));
  nb::capsule owner(held, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  return nb::ndarray<nb::numpy, T, nb::ndim<1>>(held->data(), {held->size()}, owner);
}

/// What every search takes besides its two tables (the CLI's options of the same names).
struct Compute {
  std::string backend = "auto";
  unsigned threads = 0;
  std::string memory = cli::kDefaultMemory;
};

std::vector<Tcr> slice(const std::vector<Tcr>& tcrs, std::size_t from, std::size_t to) {
  return {tcrs.begin() + static_cast<std::ptrdiff_t>(from), tcrs.begin() + static_cast<std::ptrdiff_t>(to)};
}

/// The V-gene table of a TCRdist search whose references are `references` (CLI: choose_vgene_table),
/// with the CLI's warning when some V genes of either side were guessed or unknown.
const scoring::VGeneTable* vgene_table_for(const std::string& command, const std::string& path, bool v_genes,
                                           const cli::SearchTable& queries, const cli::SearchTable& references,
                                           scoring::Chains chains, std::optional<scoring::VGeneTable>& loaded) {
  const scoring::VGeneTable* vg = cli::choose_vgene_table(path, v_genes, references.tcrs, chains, loaded);
  if (vg) {
    scoring::VGeneCounts ref_counts, query_counts;
    cli::count_vgenes(references.tcrs, *vg, chains, ref_counts);
    cli::report_vgenes(command, "reference TCRs", *vg, ref_counts);
    if (&queries != &references) {
      cli::count_vgenes(queries.tcrs, *vg, chains, query_counts);
      cli::report_vgenes(command, "queries", *vg, query_counts);
    }
  }
  return vg;
}

struct TcrdistHits {
  std::vector<std::uint32_t> query, reference;
  std::vector<std::int32_t> distance;
};

/// Every pair within `radius` (all pairs when radius is the largest int / 2), ordered by query,
/// distance, reference: the pairs and the order of `tilmatch search --metric tcrdist`.
TcrdistHits tcrdist_hits(const cli::SearchTable& q, const cli::SearchTable& r, int radius, const std::string& chains_name,
                         bool v_genes, const std::string& v_gene_table, std::size_t top_k, const Compute& c,
                         const std::string& command) {
  const scoring::Chains chains = cli::parse_chains(chains_name);
  const auto kind = scoring::parse_backend_kind(c.backend);
  scoring::EngineOptions options;
  options.memory_budget_bytes = cli::parse_memory(c.memory, "memory");
  options.top_k = top_k;
  const auto backend = scoring::make_backend(kind, c.threads);
  std::optional<scoring::VGeneTable> loaded;
  const scoring::VGeneTable* vg = vgene_table_for(command, v_gene_table, v_genes, q, r, chains, loaded);
  const auto refs = scoring::encode_tcrdist_set(cli::tcrdist_records(r.tcrs), chains, vg);
  const std::size_t per_query = top_k ? std::min(top_k, r.tcrs.size()) : r.tcrs.size();
  TcrdistHits out;
  const auto score_run = [&](std::size_t from, std::size_t to) {
    const auto qs = scoring::encode_tcrdist_set(cli::tcrdist_records(slice(q.tcrs, from, to)), chains, vg);
    const auto hits = scoring::search_with_tile_fallback(options, qs.size(), refs.size(), [&](const scoring::EngineOptions& o) {
      return backend->tcrdist_search(qs, refs, radius, o);
    });
    for (const auto& h : hits) {
      out.query.push_back(static_cast<std::uint32_t>(from + h.query));
      out.reference.push_back(h.reference);
      out.distance.push_back(h.distance);
    }
    return hits.size();
  };
  scoring::search_in_runs(q.tcrs.size(), options.memory_budget_bytes, per_query, score_run);
  return out;
}

nb::tuple tcrdist_search(const cli::SearchTable& q, const cli::SearchTable& r, int radius, const std::string& chains,
                         bool v_genes, const std::string& v_gene_table, std::size_t top_k, const std::string& backend,
                         unsigned threads, const std::string& memory, const std::string& command) {
  if (radius < 0) throw UsageError("max_distance must be >= 0");
  TcrdistHits hits;
  {
    nb::gil_scoped_release release;
    hits = tcrdist_hits(q, r, radius, chains, v_genes, v_gene_table, top_k, {backend, threads, memory}, command);
  }
  return nb::make_tuple(to_numpy(std::move(hits.query)), to_numpy(std::move(hits.reference)),
                        to_numpy(std::move(hits.distance)));
}

/// Rows [from, to) of the dense matrix (row stride nr), scored as `search --all-pairs` scores them.
void fill_rows(const scoring::Backend& backend, const cli::SearchTable& q, const scoring::TcrdistSet& refs,
               scoring::Chains chains, const scoring::VGeneTable* vg, scoring::EngineOptions& options,
               std::size_t from, std::size_t to, std::int32_t* cells) {
  const std::size_t nr = refs.size();
  const auto qs = scoring::encode_tcrdist_set(cli::tcrdist_records(slice(q.tcrs, from, to)), chains, vg);
  // Every pair is a hit at this radius; the largest int / 2 keeps the engine's sums from overflowing.
  const auto hits = scoring::search_with_tile_fallback(options, qs.size(), nr, [&](const scoring::EngineOptions& o) {
    return backend.tcrdist_search(qs, refs, std::numeric_limits<int>::max() / 2, o);
  });
  if (hits.size() != (to - from) * nr)
    throw Error("internal error: " + std::to_string(hits.size()) + " distances for " + std::to_string(to - from) +
                " x " + std::to_string(nr) + " pairs");
  for (const auto& h : hits) cells[(from + h.query) * nr + h.reference] = h.distance;
}

/// The dense TCRdist matrix, row-major q x r. On the CPU, runs of rows are scored by `threads`
/// one-thread engines at once, each writing its own rows: the engine sorts every run's hits into
/// the CLI's order on one thread, which would otherwise dominate a dense matrix (every pair a hit).
nb::ndarray<nb::numpy, std::int32_t, nb::ndim<2>> tcrdist_matrix(const cli::SearchTable& q, const cli::SearchTable& r,
                                                                 const std::string& chains_name, bool v_genes,
                                                                 const std::string& v_gene_table,
                                                                 const std::string& backend_name, unsigned threads,
                                                                 const std::string& memory) {
  const std::size_t nq = q.tcrs.size(), nr = r.tcrs.size();
  auto* cells = new std::vector<std::int32_t>();
  nb::capsule owner(cells, [](void* p) noexcept { delete static_cast<std::vector<std::int32_t>*>(p); });
  {
    nb::gil_scoped_release release;
    const scoring::Chains chains = cli::parse_chains(chains_name);
    const auto kind = scoring::parse_backend_kind(backend_name);
    const std::size_t budget = cli::parse_memory(memory, "memory");
    auto backend = scoring::make_backend(kind, threads);
    unsigned workers = 1;
    if (backend->name() == "cpu") {
      workers = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
      backend = scoring::make_backend(scoring::BackendKind::kCpu, 1);
    }
    std::optional<scoring::VGeneTable> loaded;
    const scoring::VGeneTable* vg = vgene_table_for("tcrdist", v_gene_table, v_genes, q, r, chains, loaded);
    const auto refs = scoring::encode_tcrdist_set(cli::tcrdist_records(r.tcrs), chains, vg);
    cells->assign(nq * nr, 0);
    const std::size_t per_worker = budget / workers;
    if (nr > 0 && per_worker / 2 / scoring::kBytesPerHit < nr)
      throw UsageError("memory " + memory + " holds fewer than one row of " + std::to_string(nr) + " distances" +
                       (workers > 1 ? " per thread (" + std::to_string(workers) + " threads)" : std::string()) +
                       "; raise memory");
    // On the CPU, runs of at most kDenseRun rows keep each run's sort of its hits within the
    // caches; a device takes runs as large as the budget allows (fewer, fuller launches).
    const std::size_t fits = scoring::first_run_size(per_worker, nr);
    const std::size_t run = workers > 1 || backend->name() == "cpu" ? std::min(kDenseRun, fits) : fits;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto work = [&] {
      try {
        scoring::EngineOptions options;
        options.memory_budget_bytes = per_worker;
        for (std::size_t from = next.fetch_add(run); from < nq && !failed; from = next.fetch_add(run))
          fill_rows(*backend, q, refs, chains, vg, options, from, std::min(nq, from + run), cells->data());
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    };
    const std::size_t runs = (nq + run - 1) / run;
    std::vector<std::thread> pool;
    for (std::size_t i = 1; i < std::min<std::size_t>(workers, runs); ++i) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
  }
  return nb::ndarray<nb::numpy, std::int32_t, nb::ndim<2>>(cells->data(), {nq, nr}, owner);
}

nb::tuple tcrmatch_search(const cli::SearchTable& q, const cli::SearchTable& r, const std::optional<std::string>& min_score,
                          std::size_t top_k, const std::string& backend, unsigned threads, const std::string& memory) {
  std::vector<std::uint32_t> qi, ri;
  std::vector<float> scores;
  {
    nb::gil_scoped_release release;
    const auto kind = scoring::parse_backend_kind(backend);
    scoring::EngineOptions options;
    options.memory_budget_bytes = cli::parse_memory(memory, "memory");
    options.top_k = top_k;
    // TCRMatch's rule, as `tilmatch search`: score > S, both float32.
    const float threshold = scoring::tcrmatch_min_score(
        min_score ? cli::parse_tcrmatch_threshold(*min_score, "min_score") : scoring::kTcrmatchDefaultThreshold);
    const auto engine = scoring::make_backend(kind, threads);
    const auto k1 = scoring::make_k1_table();
    const auto refs = scoring::encode_tcrmatch_set(cli::tcrmatch_sequences(r.tcrs), k1);
    const std::size_t per_query = top_k ? std::min(top_k, r.tcrs.size()) : r.tcrs.size();
    const auto score_run = [&](std::size_t from, std::size_t to) {
      const auto qs = scoring::encode_tcrmatch_set(cli::tcrmatch_sequences(slice(q.tcrs, from, to)), k1);
      const auto hits = scoring::search_with_tile_fallback(options, qs.size(), refs.size(), [&](const scoring::EngineOptions& o) {
        return engine->tcrmatch_search(qs, refs, threshold, k1, o);
      });
      for (const auto& h : hits) {
        qi.push_back(static_cast<std::uint32_t>(from + h.query));
        ri.push_back(h.reference);
        scores.push_back(h.score);
      }
      return hits.size();
    };
    scoring::search_in_runs(q.tcrs.size(), options.memory_budget_bytes, per_query, score_run);
  }
  return nb::make_tuple(to_numpy(std::move(qi)), to_numpy(std::move(ri)), to_numpy(std::move(scores)));
}

/// Runs one subcommand in this process, parsed by the CLI's own option table (`args` as typed
/// after `tilmatch`); `command_line` is what run.json records. Returns the exit code (0); errors
/// are thrown, a parse error as UsageError naming an unknown option and its nearest known one.
int run_command(const std::vector<std::string>& args, const std::string& command_line) {
  CLI::App app{"tilmatch", "tilmatch"};
  app.require_subcommand(1);
  struct Entry {
    CLI::App* sub;
    cli::Runner run;
  };
  std::vector<Entry> entries;
  for (const cli::CommandSpec& spec : cli::all_commands()) {
    CLI::App* sub = app.add_subcommand(std::string(spec.name), std::string(spec.summary));
    entries.push_back({sub, spec.setup(*sub)});
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    const CLI::App* context = &app;
    for (const Entry& entry : entries)
      if (entry.sub->parsed()) context = entry.sub;
    if (const std::string unknown = cli::first_unknown_option(*context, args); !unknown.empty()) {
      const std::string near = cli::suggest_name(unknown, cli::option_names(*context));
      throw UsageError("unknown option " + unknown + (near.empty() ? "" : "; did you mean " + near + "?"));
    }
    throw UsageError(e.what());
  }
  for (Entry& entry : entries) {
    if (!entry.sub->parsed()) continue;
    nb::gil_scoped_release release;
    return entry.run(command_line);
  }
  throw UsageError("no subcommand given");
}

/// The epitope column of a reference row as `tilmatch search` writes it: peptides, then the others.
std::string epitopes_of(const ReferenceTcr& r) {
  const std::string sep = r.epitope.empty() || r.other_epitopes.empty() ? "" : ",";
  return r.epitope + sep + r.other_epitopes;
}

}  // namespace
}  // namespace tilmatch::python

NB_MODULE(_core, m) {
  using namespace tilmatch;
  using namespace tilmatch::python;
  m.doc() = "tilmatch's C++ core (use the tilmatch package, not this module)";
  m.attr("__version__") = kVersion;
  m.attr("build_version") = kBuildVersion;

  static ErrorTypes types;
  types.error = new_error_type(m, "Error", "Base of every error tilmatch raises on purpose.", {PyExc_Exception});
  types.input = new_error_type(m, "InputError",
                               "An input is wrong; .file and .where (line, row, column) name the place.",
                               {types.error, PyExc_ValueError});
  types.usage = new_error_type(m, "UsageError", "An argument is invalid (range, conflicting options).",
                               {types.error, PyExc_ValueError});
  types.io = new_error_type(m, "IoError", "A file could not be opened, read, written or renamed.",
                            {types.error, PyExc_OSError});
  types.device = new_error_type(m, "DeviceError", "A requested backend is unavailable or a device failed.",
                                {types.error, PyExc_RuntimeError});
  nb::register_exception_translator(&translate, &types);

  m.def("cuda_built", [] {
#ifdef TILMATCH_HAVE_CUDA
    return true;
#else
    return false;
#endif
  }, "Whether this build has the CUDA backend.");

  m.def("set_log_level", [](int level) {
    log::set_level(static_cast<log::Level>(std::clamp(level, 0, static_cast<int>(log::Level::kDebug))));
  }, "level"_a, "stderr verbosity: 0 quiet, 1 warnings, 2 stage lines (the CLI's default), 3 info, 4 debug.");

  nb::class_<cli::SearchTable>(m, "Table", "TCRs read by the CLI's readers, in input order (usable rows only).")
      .def("__len__", [](const cli::SearchTable& t) { return t.tcrs.size(); })
      .def_prop_ro("ids", [](const cli::SearchTable& t) { return t.ids; })
      .def_prop_ro("cdr3b", [](const cli::SearchTable& t) {
        std::vector<std::string> out;
        out.reserve(t.tcrs.size());
        for (const Tcr& x : t.tcrs) out.push_back(x.cdr3b);
        return out;
      })
      .def_prop_ro("annotated", [](const cli::SearchTable& t) { return t.annotated; })
      .def_prop_ro("skipped", [](const cli::SearchTable& t) { return t.skipped; })
      .def("annotation", [](const cli::SearchTable& t) {
        // As `tilmatch search` writes them: an unannotated field is NA.
        std::map<std::string, std::vector<std::string>> cols;
        auto put = [&](const char* name, const std::string& v) { cols[name].push_back(v.empty() ? "NA" : v); };
        for (const ReferenceTcr& r : t.annotation) {
          put("epitope", epitopes_of(r));
          put("mhc", r.mhc);
          put("antigen_gene", r.antigen_gene);
          put("antigen_species", r.antigen_species);
          put("source", r.source);
        }
        return cols;
      }, "Reference columns (epitope, mhc, antigen_gene, antigen_species, source) by name.");

  m.def("read_repertoire", [](const std::string& path, const std::string& format) {
    nb::gil_scoped_release release;
    return cli::load_repertoire_table(path, format);
  }, "path"_a, "format"_a = "auto", "A repertoire in any format the CLI reads (ids as `tilmatch search` writes them).");
  m.def("read_reference", [](const std::string& path, const std::string& format) {
    nb::gil_scoped_release release;
    return cli::load_reference_table(path, format);
  }, "path"_a, "format"_a = "auto", "A reference database, or a repertoire when it is none (format auto).");

  m.def("tcrdist_search", &tcrdist_search, "queries"_a, "references"_a, "max_distance"_a, "chains"_a, "v_genes"_a,
        "v_gene_table"_a, "top_k"_a, "backend"_a, "threads"_a, "memory"_a, "command"_a,
        "(query, reference, distance) arrays of the pairs within max_distance, ordered as the CLI's.");
  m.def("tcrdist_matrix", &tcrdist_matrix, "queries"_a, "references"_a, "chains"_a, "v_genes"_a, "v_gene_table"_a,
        "backend"_a, "threads"_a, "memory"_a, "Dense int32 TCRdist matrix, queries x references.");
  m.def("tcrmatch_search", &tcrmatch_search, "queries"_a, "references"_a, "min_score"_a, "top_k"_a, "backend"_a,
        "threads"_a, "memory"_a, "(query, reference, score) arrays of the pairs scoring > min_score.");
  m.def("run_command", &run_command, "args"_a, "command_line"_a,
        "Runs a tilmatch subcommand in this process (args as after `tilmatch`); returns its exit code.");
}
