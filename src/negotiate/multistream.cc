// multistream-select 1.0 state machines (see multistream.h).
#include "negotiate/multistream.h"

#include <cassert>

#include "util/varint.h"

namespace hauptbuch::p2p::negotiate {
namespace {

Error bad(std::string detail) { return Error(P2PNetworkError::InvalidMessage, "multistream: " + std::move(detail)); }

}  // namespace

Bytes encode_message(std::string_view text) {
  assert(text.size() < kMaxMessageLength && text.find('\n') == std::string_view::npos);
  Bytes out;
  varint::append(out, text.size() + 1);
  out.insert(out.end(), text.begin(), text.end());
  out.push_back('\n');
  return out;
}

Status MessageReader::push(ByteSpan in) {
  // Bounded: the state machines consume each complete message before the next push, so at
  // most one message plus what the peer pipelined after the negotiation is buffered; cap that.
  if (buf_.size() - pos_ + in.size() > 4 * kMaxMessageLength + 64 * 1024)
    return bad("too much data before negotiation finished");
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  buf_.insert(buf_.end(), in.begin(), in.end());
  return ok_status();
}

Result<std::optional<std::string>> MessageReader::next() {
  ByteSpan rest(buf_.data() + pos_, buf_.size() - pos_);
  const varint::Decoded d = varint::decode(rest);
  if (d.status == varint::DecodeStatus::NeedMore) return std::optional<std::string>{};
  if (d.status == varint::DecodeStatus::Invalid) return bad("malformed length prefix");
  if (d.value == 0 || d.value > kMaxMessageLength) return bad("message length " + std::to_string(d.value) + " out of range");
  if (rest.size() - d.length < d.value) return std::optional<std::string>{};
  const char* text = reinterpret_cast<const char*>(rest.data() + d.length);
  const size_t n = static_cast<size_t>(d.value);
  if (text[n - 1] != '\n') return bad("message does not end in a newline");
  if (std::string_view(text, n - 1).find('\n') != std::string_view::npos)
    return bad("message contains more than one line");
  pos_ += d.length + n;
  return std::optional<std::string>(std::string(text, n - 1));
}

Bytes MessageReader::take_rest() {
  Bytes rest(buf_.begin() + static_cast<std::ptrdiff_t>(pos_), buf_.end());
  buf_.clear();
  pos_ = 0;
  return rest;
}

void Negotiator::send(std::string_view text) {
  Bytes m = encode_message(text);
  out_.insert(out_.end(), m.begin(), m.end());
}

Status Negotiator::feed(ByteSpan in) {
  if (failed_) return bad("negotiation already failed");
  if (done_) return reader_.push(in);  // leftover for the next protocol
  auto fail = [this](Status st) {
    failed_ = true;
    return st;
  };
  if (auto st = reader_.push(in); !st) return fail(std::move(st));
  while (!done_) {
    auto msg = reader_.next();
    if (!msg.ok()) return fail(std::move(msg).error());
    if (!msg->has_value()) return ok_status();
    const std::string& text = **msg;
    if (!header_seen_) {
      if (text != kMultistreamProtocol) return fail(bad("unexpected header '" + text.substr(0, 64) + "'"));
      header_seen_ = true;
      if (auto st = on_header(); !st) return fail(std::move(st));
      continue;
    }
    if (auto st = on_message(text); !st) return fail(std::move(st));
  }
  return ok_status();
}

Initiator::Initiator(std::vector<std::string> protocols) : protocols_(std::move(protocols)) {}

Bytes Initiator::start() {
  Bytes out = encode_message(kMultistreamProtocol);
  if (!protocols_.empty()) {
    Bytes p = encode_message(protocols_[0]);
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

Status Initiator::on_header() {
  if (protocols_.empty()) return Status(P2PNetworkError::Unsupported, "multistream: nothing to propose");
  return ok_status();
}

Status Initiator::on_message(const std::string& text) {
  if (text == protocols_[next_]) {
    done_ = true;
    selected_ = text;
    return ok_status();
  }
  if (text != "na") return bad("expected '" + protocols_[next_] + "' or 'na', got '" + text.substr(0, 64) + "'");
  if (++next_ == protocols_.size())
    return Status(P2PNetworkError::Unsupported, "multistream: peer supports none of our protocols");
  send(protocols_[next_]);
  return ok_status();
}

Responder::Responder(std::vector<std::string> protocols)
    : supported_([ps = std::move(protocols)](std::string_view p) {
        for (const auto& x : ps)
          if (x == p) return true;
        return false;
      }) {}

Bytes Responder::start() { return encode_message(kMultistreamProtocol); }

Status Responder::on_message(const std::string& text) {
  if (text != "ls" && text != "na" && supported_(text)) {
    send(text);
    selected_ = text;
    done_ = true;
    return ok_status();
  }
  if (++refusals_ > kMaxRefusals) return bad("too many refused proposals");
  send("na");
  return ok_status();
}

}  // namespace hauptbuch::p2p::negotiate
