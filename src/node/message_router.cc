// MessageRouter facade (public API, message_router.h) over the node's gossip, request/response
// and relay services.
#include "hauptbuch/p2p/message_router.h"

#include "node/node_core.h"
#include "node/node_services.h"

namespace hauptbuch::p2p {

using node::block_result;

std::string MessageRouter::chain_topic(const std::string& chain, const std::string& topic) {
  std::string t = "/hauptbuch/";
  t.append(chain).append("/").append(topic);
  return t;
}

namespace {
// Runs a plain (non-coroutine) call on the strand.
template <typename F>
auto on_strand_co(F f) -> asio::awaitable<decltype(f())> {
  co_return f();
}
// Calls `f` on the node's strand: directly when already there (handlers may publish), else by
// hopping there and waiting.
template <typename F>
auto on_strand(node::NodeCore* core, F f) -> decltype(f()) {
  if (core->executor().running_in_this_thread()) return f();
  return block_result(*core, on_strand_co(std::move(f)));
}
}  // namespace

Status MessageRouter::subscribe(const std::string& topic, MessageHandler handler) {
  return on_strand(core_, [this, topic, h = std::move(handler)]() mutable {
    return core_->services().subscribe(topic, std::move(h));
  });
}
Status MessageRouter::unsubscribe(const std::string& topic) {
  return on_strand(core_, [this, topic] { return core_->services().unsubscribe(topic); });
}
void MessageRouter::set_validator(const std::string& topic, MessageValidator validator) {
  (void)on_strand(core_, [this, topic, v = std::move(validator)]() mutable {
    core_->services().set_validator(topic, std::move(v));
    return ok_status();
  });
}
Result<size_t> MessageRouter::publish(const std::string& topic, std::vector<uint8_t> data) {
  return on_strand(core_, [this, topic, d = std::move(data)]() mutable {
    return core_->services().publish(topic, std::move(d));
  });
}
asio::awaitable<Result<size_t>> MessageRouter::async_publish(std::string topic, std::vector<uint8_t> data) {
  co_return co_await core_->run_on(on_strand_co([this, topic, d = std::move(data)]() mutable {
    return core_->services().publish(topic, std::move(d));
  }));
}

Status MessageRouter::register_protocol(const std::string& protocol, RequestHandler handler) {
  return on_strand(core_, [this, protocol, h = std::move(handler)]() mutable {
    return core_->services().register_protocol(protocol, std::move(h));
  });
}
Result<Response> MessageRouter::send(const std::string& peer_id, const std::string& protocol, std::vector<uint8_t> data) {
  return block_result(*core_, core_->services().co_send(peer_id, protocol, std::move(data)));
}
asio::awaitable<Result<Response>> MessageRouter::async_send(std::string peer_id, std::string protocol, std::vector<uint8_t> data) {
  co_return co_await core_->run_on(core_->services().co_send(std::move(peer_id), std::move(protocol), std::move(data)));
}

Result<RoutingResult> MessageRouter::route_message(std::vector<uint8_t> message, const Destination& destination) {
  return block_result(*core_, core_->services().co_route(std::move(message), destination));
}
asio::awaitable<Result<RoutingResult>> MessageRouter::async_route_message(std::vector<uint8_t> message, Destination destination) {
  co_return co_await core_->run_on(core_->services().co_route(std::move(message), std::move(destination)));
}
void MessageRouter::set_routed_message_handler(RequestHandler handler) {
  (void)on_strand(core_, [this, h = std::move(handler)]() mutable {
    core_->services().set_routed_message_handler(std::move(h));
    return ok_status();
  });
}

RouterMetrics MessageRouter::metrics() const {
  auto get = [](node::NodeCore* core) -> asio::awaitable<RouterMetrics> { co_return core->services().router_metrics(); };
  return node::block_value(*core_, get(core_));
}

size_t MessageRouter::mesh_size(const std::string& topic) const {
  auto get = [](node::NodeCore* core, std::string t) -> asio::awaitable<size_t> { co_return core->services().mesh_size(t); };
  return node::block_value(*core_, get(core_, topic));
}

}  // namespace hauptbuch::p2p
