import type { ClientInput, VendorInput } from '../domain/parties.js';

/** Fixed demo content: the same studios, people and documents on every machine. */

export const DEMO_PASSWORD = 'demo1234';

const address = (line1: string, city: string, region: string, postalCode: string, country: string) => ({ line1, city, region, postalCode, country });

const client = (name: string, fullName: string, email: string, phone: string, billing: ClientInput['clientInformation']['billingAddress']): ClientInput => ({
  fullName,
  clientInformation: { name, email, phone, billingAddress: billing },
});

export const US_STUDIO = {
  name: 'Harbor & Pine Interiors',
  country: 'US',
  homeCurrency: 'USD',
  salesTaxRate: '8.875',
  users: [
    { email: 'owner@demo.studio', role: 'owner' as const },
    { email: 'designer@demo.studio', role: 'member' as const },
  ],
  clients: [
    client("O'Brien Interiors", "Siobhan O'Brien", 'siobhan@obrien-interiors.example', '(212) 555-0142', address('14 Bank St', 'New York', 'NY', '10014', 'US')),
    client('Smith LLC', 'John Smith', 'john@smithllc.example', '(718) 555-0190', address('220 Court St', 'Brooklyn', 'NY', '11201', 'US')),
    client('Smith, LLC', 'Jane Smith', 'jane@smith-llc.example', '(201) 555-0113', address('9 River Rd', 'Hoboken', 'NJ', '07030', 'US')),
    // clientInformation.name is what QBO gets, so this customer shows up there as just "Dana".
    client('Dana', 'Dana Alvarez-Reyes', 'dana.ar@example.com', '(917) 555-0176', address('301 W 57th St Apt 12C', 'New York', 'NY', '10019', 'US')),
    client('Lakeside Dental Group', 'Dr. Priya Raman', 'office@lakesidedental.example', '(914) 555-0128', address('88 Lake Ave', 'White Plains', 'NY', '10601', 'US')),
    client('Rivera & Daughters Bakery', 'Carmen Rivera', 'carmen@riverabakery.example', '(347) 555-0155', address('412 Grand St', 'Brooklyn', 'NY', '11211', 'US')),
    client('The Patel Residence', 'Anil Patel', 'anil.patel@example.com', '(516) 555-0167', address('27 Elm Ct', 'Great Neck', 'NY', '11021', 'US')),
    client('Nguyen Family', 'Linh Nguyen', 'linh.nguyen@example.com', '(646) 555-0109', address('150 E 85th St', 'New York', 'NY', '10028', 'US')),
    client('Brightwater Hotel Group', 'Marcus Bell', 'procurement@brightwater.example', '(631) 555-0183', address('1 Harbor Plaza', 'Sag Harbor', 'NY', '11963', 'US')),
    // No email or address on file: the help page's "Customer not found" troubleshooting case.
    client('Kowalski Loft', 'Piotr Kowalski', '', '', address('', '', '', '', '')),
  ],
  vendors: [
    vendor('Hudson Furniture Co.', 'orders@hudsonfurniture.example', '(845) 555-0101', address('500 Industrial Way', 'Kingston', 'NY', '12401', 'US')),
    vendor('Luminaire Lighting Supply', 'sales@luminaire.example', '(212) 555-0117', address('37 W 26th St', 'New York', 'NY', '10010', 'US')),
    vendor('Fabricut Textiles', 'trade@fabricut.example', '(918) 555-0122', address('9303 E 46th St', 'Tulsa', 'OK', '74145', 'US')),
    vendor('Stonebridge Rugs', 'hello@stonebridgerugs.example', '(973) 555-0135', address('75 Route 46', 'Fairfield', 'NJ', '07004', 'US')),
    vendor('Artisan Upholstery Works', 'shop@artisanupholstery.example', '(718) 555-0148', address('61 Greenpoint Ave', 'Brooklyn', 'NY', '11222', 'US')),
    vendor('Coastal Window Treatments', 'info@coastalwindows.example', '(631) 555-0151', address('12 Montauk Hwy', 'Southampton', 'NY', '11968', 'US')),
    vendor('Metro Art & Framing', 'studio@metroart.example', '(212) 555-0164', address('210 Lafayette St', 'New York', 'NY', '10012', 'US')),
    vendor('Green Leaf Plants', 'care@greenleaf.example', '(347) 555-0172', address('3 Flushing Ave', 'Brooklyn', 'NY', '11205', 'US')),
  ],
  categories: ['Furniture', 'Lighting', 'Textiles', 'Rugs', 'Window Treatments', 'Art & Accessories', 'Design Services'],
};

function vendor(name: string, email: string, phone: string, addr: VendorInput['address']): VendorInput {
  return { name, email, phone, address: addr };
}

export const CA_STUDIO = {
  name: 'Maple & Birch Design',
  country: 'CA',
  homeCurrency: 'CAD',
  salesTaxRate: '0',
  users: [{ email: 'owner@demo-ca.studio', role: 'owner' as const }],
  clients: [
    client('Granville Lofts Ltd.', 'Emily Tremblay', 'emily@granvillelofts.example', '(604) 555-0131', address('1280 Granville St', 'Vancouver', 'BC', 'V6Z 1M4', 'CA')),
    client('Beaches Family Dental', 'Dr. Omar Haddad', 'front@beachesdental.example', '(416) 555-0144', address('2100 Queen St E', 'Toronto', 'ON', 'M4E 1E3', 'CA')),
    client('Bow River Cabin', 'Sarah MacLeod', 'sarah.macleod@example.com', '(403) 555-0158', address('44 Spruce Dr', 'Canmore', 'AB', 'T1W 1K5', 'CA')),
  ],
  vendors: [
    vendor('West Coast Millwork', 'orders@westcoastmillwork.example', '(604) 555-0166', address('8800 Fraser St', 'Vancouver', 'BC', 'V5X 3X9', 'CA')),
    vendor('Laurentian Linens', 'ventes@laurentian.example', '(514) 555-0179', address('4200 Rue Saint-Denis', 'Montréal', 'QC', 'H2J 2K8', 'CA')),
  ],
  categories: ['Furniture', 'Lighting', 'Textiles', 'Design Services'],
};

/** A line as seed documents describe it: category by name, tax by flag (US) or code name (CA). */
export interface DemoLine {
  description: string;
  quantity: string;
  rate: string;
  category: string;
  taxable?: boolean;
  taxCode?: string;
  markupPercent?: string;
  vendorDiscountPercent?: string;
}

/** Catalogue the US documents draw their lines from, by index, so every run builds the same lines. */
export const US_LINE_CATALOGUE: DemoLine[] = [
  { description: 'Design consultation (hours)', quantity: '6', rate: '175', category: 'Design Services', taxable: false },
  { description: 'Walnut dining table, 84"', quantity: '1', rate: '4850', category: 'Furniture', markupPercent: '35', vendorDiscountPercent: '15' },
  { description: 'Upholstered dining chairs', quantity: '8', rate: '689.99', category: 'Furniture', markupPercent: '35', vendorDiscountPercent: '10' },
  { description: 'Brass pendant, 24"', quantity: '3', rate: '612.50', category: 'Lighting', markupPercent: '30' },
  { description: 'Linen drapery panels', quantity: '6', rate: '328.333', category: 'Window Treatments', markupPercent: '25' },
  { description: 'Performance velvet (yards)', quantity: '14.5', rate: '96.75', category: 'Textiles', markupPercent: '30', vendorDiscountPercent: '20' },
  { description: 'Hand-knotted wool rug 9x12', quantity: '1', rate: '7395', category: 'Rugs', markupPercent: '25' },
  { description: 'Framed botanical prints', quantity: '4', rate: '245', category: 'Art & Accessories', markupPercent: '40' },
  { description: 'Project management (hours)', quantity: '12.25', rate: '125', category: 'Design Services', taxable: false },
  { description: 'Sconces, aged brass', quantity: '4', rate: '289.95', category: 'Lighting', markupPercent: '30' },
  { description: 'Custom sofa, 96"', quantity: '1', rate: '6420', category: 'Furniture', markupPercent: '35', vendorDiscountPercent: '12' },
  { description: 'Throw pillows', quantity: '7', rate: '85.333', category: 'Textiles', markupPercent: '45' },
];
