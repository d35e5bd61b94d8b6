// bench/sandbox — what crmsync-sandbox sustains on loopback, so tests and the e2e suite are not
// throttled by their fake CRM. Goals on the 2-core CI machine: simple REST calls >= 5,000/s,
// records through collections of 200 >= 50,000/s, records through Bulk 2.0 ingest >= 100,000/s.
// Each figure is a rate counter (requests_per_second, records_per_second) in the output.
#include <benchmark/benchmark.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "sandbox_bench_client.hpp"

namespace {

using sandbox_bench::Client;
using sandbox_bench::json_string;
using sandbox_bench::Sandbox;

constexpr const char* kData = "/services/data/v66.0";

// One sandbox for the whole run: starting it is not what is measured.
Sandbox& sandbox() {
  static Sandbox instance;
  return instance;
}

std::unique_ptr<Client> authorized_client() {
  auto client = std::make_unique<Client>(sandbox().url());
  client->set_token(sandbox().token());
  return client;
}

void BM_SimpleRestRequest(benchmark::State& state) {
  auto client = authorized_client();
  const auto created =
      client->send("POST", std::string(kData) + "/sobjects/Contact",
                   R"({"LastName":"Bench","Email":"bench@sandbox.example"})", "application/json");
  const std::string path =
      std::string(kData) + "/sobjects/Contact/" + json_string(created.body, "id");
  for (auto _ : state) {
    const auto reply = client->send("GET", path);
    if (reply.status != 200) state.SkipWithError("GET failed");
    benchmark::DoNotOptimize(reply.body.data());
  }
  state.counters["requests_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.SetLabel("goal >= 5000 requests/s");
}
BENCHMARK(BM_SimpleRestRequest)->Threads(1)->Threads(2)->UseRealTime();

std::string collection_body(int batch) {
  std::string body = R"({"allOrNone":false,"records":[)";
  for (int i = 0; i < 200; ++i) {
    body += std::string(i == 0 ? "" : ",")
            + R"({"attributes":{"type":"Contact"},"FirstName":"Col","LastName":"Lection)"
            + std::to_string(i) + R"(","Email":"c)" + std::to_string(batch) + "-"
            + std::to_string(i) + R"(@bench.example","Title":"Buyer","Phone":"+15550100"})";
  }
  return body + "]}";
}

void BM_Collections200(benchmark::State& state) {
  auto client = authorized_client();
  const std::string body = collection_body(static_cast<int>(state.thread_index()));
  for (auto _ : state) {
    const auto reply =
        client->send("POST", std::string(kData) + "/composite/sobjects", body, "application/json");
    if (reply.status != 200 || reply.body.find("\"success\":false") != std::string::npos)
      state.SkipWithError("collection create failed");
  }
  state.counters["records_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * 200, benchmark::Counter::kIsRate);
  state.SetLabel("goal >= 50000 records/s");
}
BENCHMARK(BM_Collections200)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);

std::string bulk_csv(int rows) {
  std::string csv = "FirstName,LastName,Email,Title,Phone\n";
  for (int i = 0; i < rows; ++i) {
    csv += "Bulk,Row" + std::to_string(i) + ",row" + std::to_string(i)
           + "@bulk.example,\"Buyer, EMEA\",+15550100\n";
  }
  return csv;
}

// Runs one ingest job to its end; returns the job's path, or "" when it did not complete.
std::string run_ingest_job(Client& client, const std::string& job_json, const std::string& csv) {
  const std::string jobs = std::string(kData) + "/jobs/ingest";
  const auto created = client.send("POST", jobs, job_json, "application/json");
  const std::string job = jobs + "/" + json_string(created.body, "id");
  client.send("PUT", job + "/batches", csv, "text/csv");
  client.send("PATCH", job, R"({"state":"UploadComplete"})", "application/json");
  std::string job_state;
  for (int poll = 0; poll < 100 && job_state != "JobComplete" && job_state != "Failed"; ++poll)
    job_state = json_string(client.send("GET", job).body, "state");
  if (job_state != "JobComplete") return "";
  const auto failed = client.send("GET", job + "/failedResults");
  return failed.body.find('\n') + 1 == failed.body.size() ? job : "";
}

void BM_BulkIngest(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  auto client = authorized_client();
  const std::string csv = bulk_csv(rows);
  for (auto _ : state)
    if (run_ingest_job(*client, R"({"object":"Contact","operation":"insert"})", csv).empty())
      state.SkipWithError("bulk job did not complete, or rows failed");
  state.counters["records_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * rows, benchmark::Counter::kIsRate);
  state.SetLabel("goal >= 100000 records/s");
}
BENCHMARK(BM_BulkIngest)->Arg(50000)->UseRealTime()->Unit(benchmark::kMillisecond);

// hardDelete of every record just inserted: each erase once searched and shifted its object's
// whole list, so this grew with the square of the job.
void BM_BulkHardDelete(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  auto client = authorized_client();
  for (auto _ : state) {
    state.PauseTiming();
    const auto inserted =
        run_ingest_job(*client, R"({"object":"Contact","operation":"insert"})", bulk_csv(rows));
    const auto ok = client->send("GET", inserted + "/successfulResults");
    std::string ids = "Id\n";
    for (auto at = ok.body.find("\n\"003"); at != std::string::npos;
         at = ok.body.find("\n\"003", at + 1))
      ids += ok.body.substr(at + 2, 18) + "\n";
    state.ResumeTiming();
    if (inserted.empty()
        || run_ingest_job(*client, R"({"object":"Contact","operation":"hardDelete"})", ids).empty())
      state.SkipWithError("bulk job did not complete, or rows failed");
  }
  state.counters["records_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * rows, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BulkHardDelete)
    ->Arg(50000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
