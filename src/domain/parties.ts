import { z } from 'zod';

const text = (max: number) => z.string().trim().max(max);
/** Empty string means "not on file"; QBO customer creation may need it filled later. */
const optionalEmail = z.union([z.literal(''), z.email('must be an email address').max(254)]);

export const AddressSchema = z
  .object({
    line1: text(200).default(''),
    city: text(100).default(''),
    region: text(100).default(''),
    postalCode: text(30).default(''),
    country: text(100).default(''),
  })
  .strict();
export type Address = z.infer<typeof AddressSchema>;

export const EMPTY_ADDRESS: Address = { line1: '', city: '', region: '', postalCode: '', country: '' };

/**
 * A client has both `fullName` and `clientInformation.name`. QBO pushes use
 * `clientInformation.name` (not fullName) — the help page's gotcha — so the two are kept separate.
 */
export const ClientInputSchema = z
  .object({
    fullName: text(200).default(''),
    clientInformation: z
      .object({
        name: text(200).min(1, 'is required'),
        email: optionalEmail.default(''),
        phone: text(50).default(''),
        billingAddress: AddressSchema.default(EMPTY_ADDRESS),
      })
      .strict(),
  })
  .strict();
export type ClientInput = z.infer<typeof ClientInputSchema>;

export const VendorInputSchema = z
  .object({
    name: text(200).min(1, 'is required'),
    email: optionalEmail.default(''),
    phone: text(50).default(''),
    address: AddressSchema.default(EMPTY_ADDRESS),
  })
  .strict();
export type VendorInput = z.infer<typeof VendorInputSchema>;

export const CategoryInputSchema = z
  .object({
    name: text(100).min(1, 'is required'),
  })
  .strict();
export type CategoryInput = z.infer<typeof CategoryInputSchema>;
