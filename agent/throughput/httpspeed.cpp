// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "httpspeed.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <curl/curl.h>

#include "agent/throughput/jsontext.h"

namespace StreamSwarm::Throughput {

namespace {

using Clock = std::chrono::steady_clock;

constexpr long long MAX_STREAMS = 32;
constexpr long long MAX_SECONDS = 600;
constexpr long long MAX_CONNECT_TIMEOUT_MS = 60'000;
constexpr long long MAX_CHUNK_MIB = 1024;
constexpr int POLL_MS = 50;
// A download answer smaller than this is a page, not a speed-test server's data.
constexpr curl_off_t SMALLEST_CHUNK = 64 * 1024;
constexpr size_t UPLOAD_BLOCK = 1024 * 1024; // random bytes uploads repeat (incompressible)

struct Settings
{
    std::string url; // the server's base URL, ending in '/'
    std::string downloadPath = "garbage.php";
    std::string uploadPath = "empty.php";
    int streams = 4;
    int seconds = 10;
    int warmupSeconds = 2;
    bool download = true;
    bool upload = true;
    long long chunkMiB = 25; // each download request's size, as LibreSpeed's ckSize
    long connectTimeoutMs = 3000;
};

struct Phase;

// One connection's current request.
struct Stream
{
    Phase *phase = nullptr;
    CURL *easy = nullptr;
    curl_off_t lastUploaded = 0; // the upload's progress so far, to count only what is new
    curl_off_t uploadLeft = 0; // bytes the read callback still hands out for this request
};

// One direction: its streams, the bytes moved, and the figures second by second after the warm-up.
struct Phase
{
    bool upload = false;
    std::vector<Stream> streams;
    long long bytes = 0; // moved since the phase began
    long long requests = 0; // completed
    std::string error; // the first failure that stopped it
};

std::vector<char> &uploadBlock()
{
    static std::vector<char> block = [] {
        std::vector<char> bytes(UPLOAD_BLOCK);
        std::mt19937 random(20261206);
        std::generate(bytes.begin(), bytes.end(), [&random] { return char(random()); });
        return bytes;
    }();
    return block;
}

size_t countDownload(char *, size_t size, size_t count, void *user)
{
    static_cast<Stream *>(user)->phase->bytes += static_cast<long long>(size * count);
    return size * count;
}

size_t feedUpload(char *buffer, size_t size, size_t count, void *user)
{
    auto *stream = static_cast<Stream *>(user);
    const size_t wanted = std::min<size_t>(size * count, static_cast<size_t>(stream->uploadLeft));
    const std::vector<char> &block = uploadBlock();
    const size_t offset = static_cast<size_t>(stream->uploadLeft) % block.size();
    const size_t length = std::min(wanted, block.size() - offset);
    std::memcpy(buffer, block.data() + offset, length);
    stream->uploadLeft -= static_cast<curl_off_t>(length);
    return length;
}

// Upload bytes count when curl reports them sent, not when handed to it (they may still sit in buffers).
int countUpload(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t uploaded)
{
    auto *stream = static_cast<Stream *>(user);
    if (uploaded > stream->lastUploaded) {
        stream->phase->bytes += uploaded - stream->lastUploaded;
        stream->lastUploaded = uploaded;
    }
    return 0;
}

void prepare(Stream &stream, const Settings &settings)
{
    CURL *easy = stream.easy;
    curl_easy_reset(easy);
    stream.lastUploaded = 0;
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, settings.connectTimeoutMs);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "StreamSwarm speed test");
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &stream);
    // No compression: a server that compresses its data would measure the compressor.
    curl_easy_setopt(easy, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    if (stream.phase->upload) {
        // No "Expect: 100-continue": curl would wait up to a second for the go-ahead before each body.
        static curl_slist *const noExpect = curl_slist_append(nullptr, "Expect:");
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, noExpect);
        const curl_off_t size = settings.chunkMiB * 1024 * 1024;
        stream.uploadLeft = size;
        curl_easy_setopt(easy, CURLOPT_URL, (settings.url + settings.uploadPath).c_str());
        curl_easy_setopt(easy, CURLOPT_POST, 1L);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, size);
        curl_easy_setopt(easy, CURLOPT_READFUNCTION, feedUpload);
        curl_easy_setopt(easy, CURLOPT_READDATA, &stream);
        curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, countUpload);
        curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &stream);
        curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(
            easy, CURLOPT_WRITEFUNCTION, +[](char *, size_t itemSize, size_t items, void *) {
                return itemSize * items; // the server's answer to an upload is not the measurement
            });
    } else {
        const std::string separator = settings.downloadPath.find('?') == std::string::npos ? "?" : "&";
        curl_easy_setopt(easy, CURLOPT_URL,
            (settings.url + settings.downloadPath + separator + "ckSize=" + std::to_string(settings.chunkMiB)).c_str());
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, countDownload);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &stream);
    }
}

// Why a finished request means the server is no speed-test server (or failed); empty when it served.
std::string judge(Stream &stream, CURLcode result, const Settings &settings)
{
    if (result != CURLE_OK)
        return curl_easy_strerror(result);
    long status = 0;
    curl_easy_getinfo(stream.easy, CURLINFO_RESPONSE_CODE, &status);
    const std::string path = stream.phase->upload ? settings.uploadPath : settings.downloadPath;
    if (status < 200 || status > 299) {
        return "the server answered " + path + " with HTTP status " + std::to_string(status)
            + ": it is not a speed-test server (LibreSpeed's " + path + " is missing)";
    }
    if (!stream.phase->upload) {
        curl_off_t size = 0;
        curl_easy_getinfo(stream.easy, CURLINFO_SIZE_DOWNLOAD_T, &size);
        if (size < SMALLEST_CHUNK) {
            return "the server answered " + path + " with only " + std::to_string(size)
                + " bytes: it is not a speed-test server (LibreSpeed's " + path + " sends test data)";
        }
    }
    return {};
}

// Runs one direction: warm-up, then the measured seconds. Writes its JSON object (without a name).
std::string runPhase(const Settings &settings, bool upload, CURLM *multi)
{
    Phase phase;
    phase.upload = upload;
    phase.streams.resize(static_cast<size_t>(settings.streams));
    for (Stream &stream : phase.streams) {
        stream.phase = &phase;
        stream.easy = curl_easy_init();
        prepare(stream, settings);
        curl_multi_add_handle(multi, stream.easy);
    }
    const Clock::time_point start = Clock::now();
    const Clock::time_point measureFrom = start + std::chrono::seconds(settings.warmupSeconds);
    const Clock::time_point end = measureFrom + std::chrono::seconds(settings.seconds);
    long long bytesAtMeasure = -1;
    std::vector<double> intervalsMbps;
    long long bytesAtSecond = 0;
    Clock::time_point nextSecond = measureFrom + std::chrono::seconds(1);
    double measuredSeconds = 0;
    long long measuredBytes = 0;
    while (phase.error.empty()) {
        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg *message = curl_multi_info_read(multi, &queued)) {
            if (message->msg != CURLMSG_DONE)
                continue;
            Stream *stream = nullptr;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char **>(&stream));
            const std::string problem = judge(*stream, message->data.result, settings);
            curl_multi_remove_handle(multi, stream->easy);
            if (!problem.empty()) {
                phase.error = problem;
                break;
            }
            ++phase.requests;
            prepare(*stream, settings); // the stream asks again at once: the link stays full
            curl_multi_add_handle(multi, stream->easy);
        }
        const Clock::time_point now = Clock::now();
        if (bytesAtMeasure < 0 && now >= measureFrom) {
            bytesAtMeasure = phase.bytes;
            bytesAtSecond = phase.bytes;
        }
        if (bytesAtMeasure >= 0 && now >= nextSecond && static_cast<int>(intervalsMbps.size()) < settings.seconds) {
            intervalsMbps.push_back(static_cast<double>(phase.bytes - bytesAtSecond) * 8 / 1e6);
            bytesAtSecond = phase.bytes;
            nextSecond += std::chrono::seconds(1);
        }
        if (now >= end) {
            measuredSeconds = std::chrono::duration<double>(now - measureFrom).count();
            measuredBytes = phase.bytes - bytesAtMeasure;
            break;
        }
        curl_multi_poll(multi, nullptr, 0, POLL_MS, nullptr);
    }
    for (Stream &stream : phase.streams) {
        curl_multi_remove_handle(multi, stream.easy);
        curl_easy_cleanup(stream.easy);
    }
    if (!phase.error.empty())
        return "{\"error\": " + jsonString(phase.error) + "}";
    if (phase.bytes == 0)
        return "{\"error\": " + jsonString("nothing arrived in the time given") + "}";
    std::string json = "{\"streams\": " + std::to_string(settings.streams)
        + ", \"warmupSeconds\": " + std::to_string(settings.warmupSeconds)
        + ", \"seconds\": " + std::to_string(measuredSeconds) + ", \"bytes\": " + std::to_string(measuredBytes)
        + ", \"mbps\": " + std::to_string(static_cast<double>(measuredBytes) * 8 / 1e6 / measuredSeconds)
        + ", \"requests\": " + std::to_string(phase.requests) + ", \"intervalsMbps\": [";
    for (size_t i = 0; i < intervalsMbps.size(); ++i)
        json += (i ? ", " : "") + std::to_string(intervalsMbps[i]);
    return json + "]}";
}

} // namespace

int runHttpSpeed(int argc, char **argv)
{
    if (argc < 3)
        return usage("speedtest needs the server's URL");
    Settings settings;
    settings.url = argv[2];
    if (settings.url.rfind("http://", 0) != 0 && settings.url.rfind("https://", 0) != 0)
        return usage("the URL must start with http:// or https://");
    if (settings.url.back() != '/')
        settings.url += '/';
    for (int i = 3; i < argc; i += 2) {
        const std::string option = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : nullptr;
        long long number = 0;
        if (option == "--streams" && readNumber(value, 1, MAX_STREAMS, &number))
            settings.streams = static_cast<int>(number);
        else if (option == "--seconds" && readNumber(value, 1, MAX_SECONDS, &number))
            settings.seconds = static_cast<int>(number);
        else if (option == "--warmup" && readNumber(value, 0, MAX_SECONDS, &number))
            settings.warmupSeconds = static_cast<int>(number);
        else if (option == "--chunk-mib" && readNumber(value, 1, MAX_CHUNK_MIB, &number))
            settings.chunkMiB = number;
        else if (option == "--connect-timeout" && readNumber(value, 1, MAX_CONNECT_TIMEOUT_MS, &number))
            settings.connectTimeoutMs = static_cast<long>(number);
        else if (option == "--direction" && value && std::strcmp(value, "download") == 0)
            settings.upload = false;
        else if (option == "--direction" && value && std::strcmp(value, "upload") == 0)
            settings.download = false;
        else if (option == "--direction" && value && std::strcmp(value, "both") == 0)
            settings.download = settings.upload = true;
        else if (option == "--download-path" && value && *value)
            settings.downloadPath = value;
        else if (option == "--upload-path" && value && *value)
            settings.uploadPath = value;
        else
            return usage(("bad option or value: " + option).c_str());
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return reportError("libcurl could not start");
    const std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(), curl_multi_cleanup);
    std::string json
        = "{\"engine\": " + jsonString(std::string("libcurl/") + curl_version_info(CURLVERSION_NOW)->version);
    std::string downloaded;
    if (settings.download) {
        downloaded = runPhase(settings, false, multi.get());
        json += ", \"download\": " + downloaded;
    }
    // A server that failed the download (not a speed-test server, gone) is not asked for more.
    if (settings.upload && downloaded.rfind("{\"error\"", 0) != 0)
        json += ", \"upload\": " + runPhase(settings, true, multi.get());
    std::printf("%s}\n", json.c_str());
    std::fflush(stdout);
    return EXIT_MEASURED;
}

} // namespace StreamSwarm::Throughput
