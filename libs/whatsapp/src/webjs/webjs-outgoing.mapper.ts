import { Location, MessageMedia, MessageSendOptions, Poll } from 'whatsapp-web.js';
import type { OutgoingMessage, OutgoingReaction } from '../whatsapp-message.dto';

export type WebJsContent = string | MessageMedia | Location | Poll;

export interface WebJsSend {
  content: WebJsContent;
  options: MessageSendOptions;
}

const mediaOf = (m: { mimetype: string; data: string; filename?: string }): MessageMedia =>
  new MessageMedia(m.mimetype, m.data, m.filename ?? null);

/**
 * Our OutgoingMessage -> whatsapp-web.js `sendMessage(chatId, content, options)` arguments.
 * Reactions do not go through sendMessage (see `Client.sendReaction`), hence the exclusion.
 * `sendSeen` is off: sending must not mark the chat's inbound messages as read.
 */
export function toWebJsSend(message: Exclude<OutgoingMessage, OutgoingReaction>): WebJsSend {
  const options: MessageSendOptions = { sendSeen: false };
  if (message.replyTo) options.quotedMessageId = message.replyTo;
  if (message.mentions?.length) options.mentions = [...message.mentions];

  switch (message.type) {
    case 'text':
      if (message.linkPreview === false) options.linkPreview = false;
      return { content: message.text, options };
    case 'image':
      if (message.caption) options.caption = message.caption;
      if (message.viewOnce) options.isViewOnce = true;
      return { content: mediaOf(message.media), options };
    case 'video':
      if (message.caption) options.caption = message.caption;
      if (message.asGif) options.sendVideoAsGif = true;
      if (message.viewOnce) options.isViewOnce = true;
      return { content: mediaOf(message.media), options };
    case 'audio':
      if (message.voice) options.sendAudioAsVoice = true;
      return { content: mediaOf(message.media), options };
    case 'document':
      options.sendMediaAsDocument = true;
      if (message.caption) options.caption = message.caption;
      return { content: mediaOf(message.media), options };
    case 'sticker':
      options.sendMediaAsSticker = true;
      return { content: mediaOf(message.media), options };
    case 'location': {
      const description: { name?: string; address?: string; url?: string } = {};
      if (message.name) description.name = message.name;
      if (message.address) description.address = message.address;
      if (message.url) description.url = message.url;
      return { content: new Location(message.latitude, message.longitude, description), options };
    }
    case 'contact':
      options.parseVCards = true;
      return { content: message.vCard, options };
    case 'poll':
      return {
        content: new Poll(message.name, message.options, {
          allowMultipleAnswers: message.allowMultipleAnswers === true,
          messageSecret: undefined,
        }),
        options,
      };
  }
}
