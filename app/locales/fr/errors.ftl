# Refus, tels que le serveur les formule.

error-cart-empty = le panier est vide : ajoutez au moins une pizza
error-too-many-lines = une commande compte au plus { $max } lignes
error-too-many-pizzas = une commande compte au plus { $max } pizzas : appelez-nous pour une plus grosse commande
error-quantity = la quantité va de 1 à { $max }
error-quantity-not-number = une quantité est un nombre entier
error-item-unknown = cet article n'est pas à la carte
error-sold-out = { $name } est épuisé
error-one-size = { $name } n'existe qu'en une taille
error-no-toppings = { $name } ne prend pas de suppléments
error-too-many-toppings = au plus { $max } suppléments par pizza
error-topping-unknown = ce supplément n'est pas à la carte
error-listed-twice = { $name } figure deux fois
error-no-such-ingredient = { $name } ne contient pas « { $ingredient } »
error-notes-too-long = les remarques font au plus { $max } caractères
error-notes-unprintable = les remarques contiennent des caractères non imprimables
error-phone = un numéro de téléphone a de { $min } à { $max } chiffres, espaces, + - ( )
error-idempotency-key = de { $min } à { $max } lettres, chiffres, - ou _
error-name-missing = indiquez votre nom, s'il vous plaît
error-name-too-long = le nom fait au plus { $max } caractères
error-name-unprintable = le nom contient des caractères non imprimables
error-closed-now = nous sommes fermés en ce moment : choisissez une heure de retrait pendant nos heures d'ouverture
error-pickup-too-soon = cette heure de retrait est trop proche : il nous faut au moins { $minutes } minutes
error-pickup-too-late = le retrait peut être prévu au plus { $hours } heures à l'avance
error-closed-then = nous sommes fermés à cette heure-là : choisissez une heure pendant nos heures d'ouverture
error-pickup-not-listed = choisissez une heure de retrait dans la liste
error-reason-missing = indiquez pourquoi la commande est annulée
error-reason = indiquez pourquoi la commande est annulée, en { $max } caractères au plus
error-price = un prix va de 0 à { $max }
error-item-name = un nom compte de 1 à { $max } caractères imprimables
error-description = une description compte au plus { $max } caractères imprimables
error-name-taken = un autre article porte déjà ce nom
error-password-short = le mot de passe doit compter au moins { $min } caractères
error-username = le nom d'utilisateur compte de 1 à 60 caractères imprimables
error-device-name = donnez à l'écran un nom de 1 à 60 caractères
error-api-key-name = donnez à la clé un nom de 1 à 60 caractères, par exemple qui l'utilise

# Mots généraux pour les autres erreurs, selon leur nature.
error-not-found = Introuvable : l'élément a peut-être été supprimé.
error-unauthorized = Veuillez d'abord vous connecter.
error-forbidden = Votre compte n'a pas le droit de faire cela.
error-invalid-transition = Ce changement n'est pas possible à cette étape.
error-conflict = Quelqu'un d'autre a modifié cela entre-temps : regardez à nouveau et réessayez.
error-too-many-requests = Trop de demandes : patientez un instant.
error-unavailable = Le service est occupé ou indisponible, réessayez.
error-internal = Un problème est survenu de notre côté, réessayez.
error-request = La demande n'a pas pu être lue.
error-screen-code = aucun écran n'attend avec ce code : vérifiez le code affiché (il change toutes les 10 minutes)
error-sign-in-refused = Identifiant ou mot de passe incorrect.
error-unreachable = Le serveur est injoignable : vérifiez la connexion et réessayez.
error-too-large = C'est trop à envoyer en une fois.
error-timeout = Cela a pris trop de temps : veuillez réessayer.
error-pairing-link = Ce lien d'appairage est inconnu, déjà utilisé ou expiré : demandez-en un nouveau à un administrateur.
error-screen-code-expired = Ce code d'écran a expiré : l'écran en affiche un nouveau.
error-disable-self = Vous ne pouvez pas désactiver votre propre compte.
error-username-taken = L'identifiant { $username } est déjà pris.
error-role = Choisissez équipe ou administrateur.
error-order-rate = Trop de commandes depuis ici : veuillez patienter { $seconds } s.
error-checkout-reused = Cette commande a déjà été passée avec d'autres détails : rechargez la page pour en commencer une nouvelle.
error-order-changed = Quelqu'un a modifié la commande #{ $id } entre-temps : elle est maintenant { $status ->
    [received] reçue
    [preparing] en préparation
    [baking] au four
    [ready] prête à emporter
    [collected] récupérée
    [cancelled] annulée
   *[other] { $status }
}.
error-no-next-stage = La commande #{ $id } est { $status ->
    [collected] récupérée
    [cancelled] annulée
   *[other] { $status }
} : elle n'a plus d'étape suivante.
error-address = une adresse a au plus { $max } caractères imprimables
error-currency = choisissez une de ces monnaies : { $known }
