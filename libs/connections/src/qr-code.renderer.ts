import { Injectable } from '@nestjs/common';
import QRCode from 'qrcode';

const OPTIONS = { errorCorrectionLevel: 'M', margin: 2, width: 320 } as const;

/** Renders WhatsApp's QR payload as a PNG (`qrcode`), for screens that cannot draw one. */
@Injectable()
export class QrCodeRenderer {
  png(payload: string): Promise<Buffer> {
    return QRCode.toBuffer(payload, { ...OPTIONS, type: 'png' });
  }

  dataUrl(payload: string): Promise<string> {
    return QRCode.toDataURL(payload, { ...OPTIONS, type: 'image/png' });
  }
}
