// Pubsub RPC codec with limits (see rpc_codec.h).
#include "protocols/gossipsub/rpc_codec.h"

#include "pubsub.pb.h"

namespace hauptbuch::p2p::gossipsub {
namespace {

namespace pb = hauptbuch::p2p::pb::pubsub;

Error bad(std::string detail) { return Error(P2PNetworkError::InvalidMessage, std::move(detail)); }

Bytes to_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }
std::string to_string(const Bytes& b) { return std::string(b.begin(), b.end()); }

Status check_topic(const std::string& t, const RpcLimits& l) {
  if (t.empty()) return bad("empty topic");
  if (t.size() > l.max_topic_length) return bad("topic longer than " + std::to_string(l.max_topic_length) + " bytes");
  return ok_status();
}

Status take_ids(const google::protobuf::RepeatedPtrField<std::string>& in, std::vector<MessageId>& out,
                size_t& budget, const RpcLimits& l) {
  if (static_cast<size_t>(in.size()) > budget) return bad("too many message ids in control messages");
  budget -= static_cast<size_t>(in.size());
  for (const auto& id : in) {
    if (id.empty() || id.size() > l.max_message_id_bytes) return bad("message id of invalid length");
    out.push_back(to_bytes(id));
  }
  return ok_status();
}

void fill(pb::Message& m, const PubsubMessage& in, bool with_signature) {
  if (!in.from.empty()) m.set_from(to_string(in.from));
  m.set_data(to_string(in.data));
  if (!in.seqno.empty()) m.set_seqno(to_string(in.seqno));
  m.set_topic(in.topic);
  if (with_signature) {
    if (!in.signature.empty()) m.set_signature(to_string(in.signature));
    if (!in.key.empty()) m.set_key(to_string(in.key));
  }
}

}  // namespace

Result<Rpc> decode_rpc(ByteSpan frame, const RpcLimits& l) {
  if (frame.size() > l.max_rpc_bytes) return bad("RPC frame larger than " + std::to_string(l.max_rpc_bytes) + " bytes");
  pb::RPC in;
  if (!in.ParseFromArray(frame.data(), static_cast<int>(frame.size()))) return bad("RPC is not a valid protobuf");
  Rpc out;
  if (static_cast<size_t>(in.subscriptions_size()) > l.max_subscriptions) return bad("too many subscriptions");
  for (const auto& s : in.subscriptions()) {
    HBP2P_TRY(check_topic(s.topicid(), l));
    out.subscriptions.push_back({s.subscribe(), s.topicid()});
  }
  if (static_cast<size_t>(in.publish_size()) > l.max_messages) return bad("too many messages");
  for (const auto& m : in.publish()) {
    HBP2P_TRY(check_topic(m.topic(), l));
    PubsubMessage pm;
    pm.from = to_bytes(m.from());
    pm.data = to_bytes(m.data());
    pm.seqno = to_bytes(m.seqno());
    pm.topic = m.topic();
    pm.signature = to_bytes(m.signature());
    pm.key = to_bytes(m.key());
    out.publish.push_back(std::move(pm));
  }
  if (in.has_control()) {
    const auto& c = in.control();
    size_t entries = static_cast<size_t>(c.ihave_size()) + static_cast<size_t>(c.graft_size()) +
                     static_cast<size_t>(c.prune_size()) + static_cast<size_t>(c.iwant_size()) +
                     static_cast<size_t>(c.idontwant_size());
    if (entries > l.max_control_entries) return bad("too many control entries");
    size_t budget = l.max_control_ids;
    for (const auto& ih : c.ihave()) {
      HBP2P_TRY(check_topic(ih.topicid(), l));
      IHave h;
      h.topic = ih.topicid();
      HBP2P_TRY(take_ids(ih.messageids(), h.ids, budget, l));
      out.ihave.push_back(std::move(h));
    }
    for (const auto& iw : c.iwant()) HBP2P_TRY(take_ids(iw.messageids(), out.iwant, budget, l));
    for (const auto& idw : c.idontwant()) HBP2P_TRY(take_ids(idw.messageids(), out.idontwant, budget, l));
    for (const auto& g : c.graft()) {
      HBP2P_TRY(check_topic(g.topicid(), l));
      out.graft.push_back(g.topicid());
    }
    for (const auto& p : c.prune()) {
      HBP2P_TRY(check_topic(p.topicid(), l));
      if (static_cast<size_t>(p.peers_size()) > l.max_prune_peers) return bad("too many peers in PRUNE");
      Prune pr;
      pr.topic = p.topicid();
      for (const auto& pi : p.peers()) {
        if (pi.peerid().empty() || pi.peerid().size() > 128) return bad("PRUNE peer id of invalid length");
        if (pi.signedpeerrecord().size() > l.max_signed_record_bytes) return bad("signed peer record too large");
        pr.peers.push_back({to_bytes(pi.peerid()), to_bytes(pi.signedpeerrecord())});
      }
      if (p.has_backoff()) pr.backoff_s = p.backoff();
      out.prune.push_back(std::move(pr));
    }
  }
  return out;
}

Bytes encode_rpc(const Rpc& rpc) {
  pb::RPC out;
  for (const auto& s : rpc.subscriptions) {
    auto* so = out.add_subscriptions();
    so->set_subscribe(s.subscribe);
    so->set_topicid(s.topic);
  }
  for (const auto& m : rpc.publish) fill(*out.add_publish(), m, true);
  const bool control = !rpc.ihave.empty() || !rpc.iwant.empty() || !rpc.graft.empty() ||
                       !rpc.prune.empty() || !rpc.idontwant.empty();
  if (control) {
    auto* c = out.mutable_control();
    for (const auto& ih : rpc.ihave) {
      auto* h = c->add_ihave();
      h->set_topicid(ih.topic);
      for (const auto& id : ih.ids) h->add_messageids(to_string(id));
    }
    if (!rpc.iwant.empty()) {
      auto* w = c->add_iwant();
      for (const auto& id : rpc.iwant) w->add_messageids(to_string(id));
    }
    if (!rpc.idontwant.empty()) {
      auto* w = c->add_idontwant();
      for (const auto& id : rpc.idontwant) w->add_messageids(to_string(id));
    }
    for (const auto& g : rpc.graft) c->add_graft()->set_topicid(g);
    for (const auto& p : rpc.prune) {
      auto* pr = c->add_prune();
      pr->set_topicid(p.topic);
      for (const auto& peer : p.peers) {
        auto* pi = pr->add_peers();
        pi->set_peerid(to_string(peer.peer_id));
        if (!peer.signed_peer_record.empty()) pi->set_signedpeerrecord(to_string(peer.signed_peer_record));
      }
      if (p.backoff_s) pr->set_backoff(*p.backoff_s);
    }
  }
  std::string s;
  out.SerializeToString(&s);
  return to_bytes(s);
}

Bytes encode_message_for_signing(const PubsubMessage& m) {
  pb::Message out;
  fill(out, m, false);
  std::string s;
  out.SerializeToString(&s);
  return to_bytes(s);
}

}  // namespace hauptbuch::p2p::gossipsub
