package org.mailsift.core.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The immutable result of {@link MessageParser}. */
final class ParsedMessageData implements ParsedMessage {
    private final byte[] raw;
    private final List<Header> headers;
    private final List<TextPart> textParts;
    private final List<Attachment> attachments;
    private final MessageLinks links;
    private final List<String> partTypes;
    private final List<Part> parts;
    private final List<PartBody> partBodies;
    private final Set<String> damage;

    ParsedMessageData(byte[] raw, List<Header> headers, List<TextPart> textParts, List<Attachment> attachments,
                      List<List<String>> anchors, int maxUrls, List<String> partTypes, List<Part> parts, List<PartBody> partBodies,
                      Set<String> damage) {
        this.raw = raw;
        this.headers = List.copyOf(headers);
        this.textParts = List.copyOf(textParts);
        this.attachments = List.copyOf(attachments);
        this.links = new MessageLinks(this.textParts, List.copyOf(anchors), maxUrls);
        this.partTypes = List.copyOf(partTypes);
        this.parts = List.copyOf(parts);
        this.partBodies = List.copyOf(partBodies);
        this.damage = Set.copyOf(damage);
    }

    @Override
    public byte[] raw() {
        return raw;
    }

    @Override
    public List<Header> headers() {
        return headers;
    }

    @Override
    public List<String> headerValues(String name) {
        List<String> out = null;
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(h.value());
            }
        }
        return out == null ? List.of() : out;
    }

    @Override
    public Optional<String> subject() {
        return firstHeader("Subject");
    }

    @Override
    public Optional<String> messageId() {
        return firstHeader("Message-ID").map(ParsedMessageData::stripBrackets).filter(s -> !s.isEmpty());
    }

    private static String stripBrackets(String v) {
        String s = v.strip();
        int lt = s.indexOf('<');
        int gt = s.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            return s.substring(lt + 1, gt).strip();
        }
        return s;
    }

    @Override
    public List<TextPart> textParts() {
        return textParts;
    }

    @Override
    public List<Attachment> attachments() {
        return attachments;
    }

    @Override
    public List<String> urls() {
        return links.urls();
    }

    @Override
    public MessageLinks links() {
        return links;
    }

    @Override
    public List<String> partTypes() {
        return partTypes;
    }

    @Override
    public List<Part> parts() {
        return parts;
    }

    @Override
    public List<PartBody> partBodies() {
        return partBodies;
    }

    @Override
    public Set<String> damage() {
        return damage;
    }
}
